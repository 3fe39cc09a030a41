# A stand-in for rknn-toolkit2's package: see api.py.
