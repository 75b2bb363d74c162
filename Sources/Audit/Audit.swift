// The audit log: see AuditLog.swift (issue 4).
