# Planted mistakes for the KUnit cases of a peer's memory (README.md beside
# this file), applied together, uncommitted, to the kernel work tree,
# booted with the kunit profile, put back with
# "git -C WORKTREE checkout -- .".
#   python3 results/p2p-mmio-20261207/plant-kunit.py ~/.cache/dma-iova-link/linux
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from plantlib import from_argv  # noqa: E402
ed = from_argv()
# K1: dma-iommu maps DMA_ATTR_MMIO ranges cacheable, as memory
ed('drivers/iommu/dma-iommu.c', '''	if (attrs & DMA_ATTR_MMIO)
		prot = IOMMU_MMIO;
''', '')
# K2: an entry of a mirror at its bus address is looked up in the window
ed('include/linux/hmm-dma.h', '''	if (unlikely(map->state[idx] & HMM_DMA_BUS))''',
   '''	if (0)''')
# K3: the block iterator keeps saying MMIO after an MMIO run
ed('block/blk-dma.c', '''	it->mmio = kind == BLK_DMA_KIND_MMIO;
	it->addr = dma_map_page_attrs(''', '''	it->mmio |= kind == BLK_DMA_KIND_MMIO;
	it->addr = dma_map_page_attrs(''')
# K4: the bus address of a mirror's entry is not checked against the
# device's DMA mask
ed('mm/hmm_dma.c', '''	if (addr + ((size_t)1 << map->shift) - 1 > dma_get_mask(dev)) {''',
   '''	if (0) {''')
