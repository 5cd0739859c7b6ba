# A planted mistake for the edu-leaf-crossing case (README.md beside this
# file): VT-d's run op uses the remembered leaf table for any IOVA, not
# only inside its own 2 MiB, so a call that crosses into the next 2 MiB
# writes there through the first table (the index wraps).  Applied
# uncommitted, booted with the strict profile, put back with
# "git -C WORKTREE checkout -- .".
#   python3 results/noncoherent-20261206/plant-crossing.py ~/.cache/dma-iova-link/linux
import os
import sys
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from plantlib import from_argv  # noqa: E402
ed = from_argv()
# C1: the cursor's leaf table is used outside its 2 MiB
ed('drivers/iommu/intel/iommu.c', '''	if (!cursor || !cursor->leaf || nr_pages >= lvl_to_nr_pages(2) ||
	    cursor->iova != (iov_pfn & level_mask(2)) << VTD_PAGE_SHIFT)
		return NULL;''', '''	if (!cursor || !cursor->leaf || nr_pages >= lvl_to_nr_pages(2))
		return NULL;''')
