#!/usr/bin/env python3
# The planted mistakes of results/map-ranges-20261207/README.md, applied
# uncommitted to the kernel work tree given as the argument.
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
from plantlib import from_argv  # noqa: E402

ed = from_argv()
# M1: VT-d keeps writing into the first leaf table after it ends
ed('drivers/iommu/intel/iommu.c',
   '\t\t\t/* The next PTE is in another leaf table */\n\t\t\tif (first_pte_in_page(++pte)) {',
   '\t\t\t/* PLANT M1 */\n\t\t\tif (first_pte_in_page(++pte))\n\t\t\t\tpte -= 512;\n\t\t\tif (0) {')
# M2: io-pgtable-arm walks only for a run's first table
ed('drivers/iommu/io-pgtable-arm.c',
   '\t\t\tif (!table || !idx) {', '\t\t\tif (!table) { /* PLANT M2 */')
# M3: the IOMMU core returns without unmapping when a large range fails
ed('drivers/iommu/iommu.c',
   '\t\tret = __iommu_map(domain, iova, paddr, end - paddr, prot, gfp);\n\t\tif (ret)\n\t\t\tgoto out_unmap;',
   '\t\tret = __iommu_map(domain, iova, paddr, end - paddr, prot, gfp);\n\t\tif (ret)\n\t\t\treturn ret; /* PLANT M3 */')
# M4: no wrap check, in the DMA layer or in the IOMMU core's slow path
ed('kernel/dma/mapping.c',
   '\t\t\t\t  check_add_overflow(ranges[i].phys,\n\t\t\t\t\t\t     (phys_addr_t)ranges[i].len,\n\t\t\t\t\t\t     &end),',
   '\t\t\t\t  (0 && check_add_overflow(ranges[i].phys,\n\t\t\t\t\t\t     (phys_addr_t)ranges[i].len,\n\t\t\t\t\t\t     &end)), /* PLANT M4 */')
ed('drivers/iommu/iommu.c',
   '\t\tif (WARN_ON_ONCE(ranges[i].phys + ranges[i].len <=\n\t\t\t\t ranges[i].phys || end <= paddr ||',
   '\t\tif (WARN_ON_ONCE(0 || end <= paddr || /* PLANT M4 */')
# M5: a domain without larger page sizes gets no run handed to the driver
ed('drivers/iommu/iommu.c',
   '\t\tsmall = larger ? (larger & -larger) - min_pagesz :\n\t\t\t\t (phys_addr_t)-1;',
   '\t\tsmall = larger ? (larger & -larger) - min_pagesz : 0; /* PLANT M5 */')
# M6: the first range's offset inside its granule is not compared
ed('drivers/iommu/dma-iommu.c',
   '\tif (likely(!iova_offset(iovad, starts) &&\n\t\t   iova_offset(iovad, addr) ==\n\t\t   iova_offset(iovad, ranges[0].phys)))',
   '\tif (likely(!iova_offset(iovad, starts))) /* PLANT M6 */')
