# Planted mistakes, one per test added for the vectored link and the
# dma-debug refusals (README.md beside this file): applied uncommitted to
# the kernel work tree, booted with the kunit profile, then put back with
# "git -C WORKTREE checkout -- .".
#   python3 results/vector-link-20261206/plant.py ~/.cache/dma-iova-link/linux
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from plantlib import from_argv  # noqa: E402
ed = from_argv()
# V1: the IOMMU core keeps its place in the page table between calls
ed('drivers/iommu/iommu.c', '''	struct iommu_map_cursor cursor = {};
	unsigned long start = iova;''', '''	static struct iommu_map_cursor cursor;
	unsigned long start = iova;''')
# V2: a vector that fails part way leaves its first ranges mapped
ed('drivers/iommu/iommu.c', '''out_unmap:
	if (iova != start)
		iommu_unmap(domain, start, iova - start);
	return ret;''', '''out_unmap:
	return ret;''')
# V3: only the first range of a vector is checked against the granule
ed('drivers/iommu/dma-iommu.c', '''	for (i = 0; i < nr; i++) {
		size_t iova_off = iova_offset(iovad, ranges[i].phys);''', '''	for (i = 0; i < 1; i++) {
		size_t iova_off = iova_offset(iovad, ranges[i].phys);''')
# V4: dma_unmap_*() inside a window reaches the IOMMU again
ed('kernel/dma/debug.c', '''	return !dma_debug_disabled() && use_dma_iommu(dev) &&
	       READ_ONCE(nr_windows);''', '''	return false;''')
# V5: windows told apart by address and size only
ed('kernel/dma/debug.c', '''		    w->size == dma_iova_size(state) &&
		    w->id == state->__debug_id)''', '''		    w->size == dma_iova_size(state))''')
# V6: refusals not counted
ed('kernel/dma/debug.c', '''	error_count += 1;
	atomic_inc(&dma_debug_refused_calls);
''', '''	error_count += 1;
''')
# V7: the block helper frees the window with the failed batch counted
ed('block/blk-dma.c', '''out_free:
	dma_free_iova(it->dev, state, offset, dir, 0);''', '''out_free:
	dma_free_iova(it->dev, state, offset + batch, dir, 0);''')
