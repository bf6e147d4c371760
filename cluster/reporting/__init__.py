"""Read-only pictures across the data: home pages, the SEND profile, the LA overview, the guides'
figures and the allocations workbook."""
