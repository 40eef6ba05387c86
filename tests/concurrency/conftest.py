"""Concurrency tests fire dozens of requests in the same instant at the live server.

Django's test server listens with a backlog of 10 connections; a burst larger
than that is reset by the kernel before Django sees it, which would measure
the test server rather than our code. A production server (gunicorn) uses
2048; give the live server room too.
"""

from django.core.servers.basehttp import WSGIServer

WSGIServer.request_queue_size = 256
