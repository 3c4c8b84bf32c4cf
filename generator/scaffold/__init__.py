"""New files from templates: a council's repository (``councillor init``), a blog (``new``) and a post (``post``).

Everything here writes only new files, and checks the values it is given as the build would,
so what it writes builds first time.
"""
