// The audit log (issue 4): one JSON Lines record per policy decision, hash-chained, appended under
// flock by every aegish process of a machine. No Foundation here: the shell links this module.
//
//   AuditConfig.swift   plain settings (the policy's [audit] table)
//   AuditEvent.swift    what the shell reports for one decision
//   AuditLog.swift      the writer: lock, tail read, repair, single write, fsync
//   JSON.swift          hand-written JSON writer and a small validating reader
//   Redact.swift        secret redaction (a small byte regex engine: Swift Regex costs ~1 ms to compile)
//   Syslog.swift        optional RFC 5424 datagrams to /dev/log
//   Verify.swift        streaming chain verification
//   Sys.swift           time, identity, random ids, hex, errors
