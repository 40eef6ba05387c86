"""Ticketing business processes, one module per process.

quotas: taking and giving back seats; orders: buying, vouchers, expiry,
cancellation; payments: confirming money and refunding; issuing: free passes
on approval and turning paid passes into participants; receipts: the PDF mail.
"""
