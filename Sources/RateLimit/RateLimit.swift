// Rate limits: see Limiter.swift (issue 4).
