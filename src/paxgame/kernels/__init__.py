"""The vectorised numeric core.

Pure numpy/scipy functions on stacked arrays: no paxgame objects, no I/O, no validation
beyond shapes (the public functions validate before calling a kernel). Every public solver's
hot loop lives here, and the public batch API :mod:`paxgame.batch` re-exports the batch kernels.
"""
