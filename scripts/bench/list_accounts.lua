-- wrk: the accounts list as the tab asks for it (a form-encoded server function
-- call from the server's own page, with the session cookie).
wrk.method = "POST"
wrk.body = "size=50"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
wrk.headers["Accept"] = "application/json"
