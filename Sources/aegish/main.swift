print("aegish: not built yet")
