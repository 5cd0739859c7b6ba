# Planted mistakes for the tests added with the non-coherent link path, the
# mock's driver models and the mm/hmm run (README.md beside this file):
# applied uncommitted to the kernel work tree, booted with the kunit and
# arm64-kunit profiles, then put back with "git -C WORKTREE checkout -- .".
#   python3 results/noncoherent-20261206/plant.py ~/.cache/dma-iova-link/linux
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from plantlib import from_argv  # noqa: E402
ed = from_argv()
# N1: unlinking neither copies back nor frees a bounce buffer
ed('drivers/iommu/dma-iommu.c', '''		swiotlb_tbl_unmap_single(dev, b->phys[i], b->len[i], dir, attrs);''',
   '''		;''')
# N2: nothing is synced for the device on link
ed('drivers/iommu/dma-iommu.c', '''	if (!(attrs & DMA_ATTR_SKIP_CPU_SYNC))
		iommu_dma_link_sync_for_device(dev, range->phys, range->len, dir);''',
   '''	if (0)
		iommu_dma_link_sync_for_device(dev, range->phys, range->len, dir);''')
# N3: a bounce that moves the first range inside its granule is accepted
ed('drivers/iommu/dma-iommu.c', '''		if (iova_offset(iovad, phys) != iova_offset(iovad, range->phys)) {''',
   '''		if (0) {''')
# N4: a range across a granule is bounced
ed('drivers/iommu/dma-iommu.c', '''		if (iova_offset(iovad, phys) + range->len > iovad->granule)
			return -EOPNOTSUPP;
''', '')
# N5: a one-range window across a granule that needs a bounce is granted
ed('drivers/iommu/dma-iommu.c', '''	     dev_use_swiotlb(dev, len, DMA_BIDIRECTIONAL)) ||
	    (size > len && dev_use_swiotlb(dev, size, DMA_BIDIRECTIONAL)))''',
   '''	     dev_use_swiotlb(dev, len, DMA_BIDIRECTIONAL)))''')
# N6: dma-debug lets an unlink of what is not linked through to the IOMMU
ed('kernel/dma/debug.c', '''	if (bad) {
		window_refuse(dev, entry,
			      "device driver unlinks a span''', '''	if (bad && 0) {
		window_refuse(dev, entry,
			      "device driver unlinks a span''')
# N7: the mm/hmm run links one entry per call
ed('mm/hmm_dma.c', '''#define HMM_DMA_LINK_BATCH	16''', '''#define HMM_DMA_LINK_BATCH	1''')
# N8: the mm/hmm run claims every entry mapped when one fails
ed('mm/hmm_dma.c', '''	*done = idx - first;
	return ret < 0 ? ret : unsynced;''', '''	*done = nr;
	return ret < 0 ? ret : unsynced;''')
