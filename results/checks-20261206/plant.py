# Planted mistakes, one per test added on 2026-12-06 (README.md beside
# this file): applied uncommitted to the kernel work tree, booted, then
# put back with "git -C WORKTREE checkout -- .".
#   python3 results/checks-20261206/plant.py ~/.cache/dma-iova-link/linux
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from plantlib import from_argv  # noqa: E402
ed = from_argv()
# P1: the integrity payload merged whole bvecs at a time again
ed('block/blk-merge.c', '''	if (it->integrity)
		*bv = bvec_iter_bvec(it->bvecs, it->iter);
	else
		*bv = mp_bvec_iter_bvec(it->bvecs, it->iter);''', '''	*bv = mp_bvec_iter_bvec(it->bvecs, it->iter);''')
# P2a: a failed IOTLB sync fails the request
ed('block/blk-dma.c', '''	if (err == -ENOMEM || err == -EIO) {
		it->status = BLK_STS_RESOURCE;''', '''	if (err == -ENOMEM || err == -EIO) {
		it->status = err == -EIO ? BLK_STS_IOERR : BLK_STS_RESOURCE;''')
# P2b: a fallback goes uncounted
ed('block/blk-dma.c', '''	atomic_inc(&blk_dma_fallbacks);
''', '')
# P3a: a downgrade forgets that the device may have written the page
ed('mm/hmm_dma.c', '''		map->state[idx] &= ~HMM_DMA_WRITE;
		if (write)''', '''		map->state[idx] &= ~(HMM_DMA_WRITE | HMM_DMA_DIRTY);
		if (write)''')
# P3b: a small mask refused behind an IOMMU too
ed('mm/hmm_dma.c', '''	if (granule == 1 && dma_addressing_limited(dev))''', '''	if (dma_addressing_limited(dev))''')
# P4: the edu ODP invalidation leaves the pages linked
ed('kernel/dma/edu_test.c', '''	hmm_dma_unmap(&o->edu->pdev->dev, &o->map, first, last - first + 1);
	mutex_unlock(&o->lock);''', '''	mutex_unlock(&o->lock);''')
