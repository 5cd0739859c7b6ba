# Planted mistakes for the guest cases of a peer's memory (README.md beside
# this file), applied together, uncommitted, to the kernel work tree, booted
# with the strict profile's p2p boot, put back with
# "git -C WORKTREE checkout -- .".
#   python3 results/p2p-mmio-20261207/plant-guest.py ~/.cache/dma-iova-link/linux
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from plantlib import from_argv  # noqa: E402
ed = from_argv()
# G1: the block helper takes a peer's memory behind the host bridge for
# memory again (no DMA_ATTR_MMIO): p2p-copy must fail
ed('block/blk-dma.c', '''	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		return BLK_DMA_KIND_MMIO;''', '''	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		return BLK_DMA_KIND_MEMORY;''')
# G2: the mm/hmm helpers do the same: edu-odp-p2pmem must fail
ed('mm/hmm_dma.c', '''	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		return HMM_DMA_MMIO;''', '''	case PCI_P2PDMA_MAP_THRU_HOST_BRIDGE:
		return 0;''')
