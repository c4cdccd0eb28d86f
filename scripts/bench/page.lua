-- wrk: the Multi Account page, server-rendered, as a signed-in browser loads it.
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Accept-Encoding"] = "gzip, br"
