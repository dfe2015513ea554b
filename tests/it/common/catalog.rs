//! The service catalog and the zones with their countries, written out by hand (not
//! read from `policies/exoscale.toml` or `src/`): `matrix.rs` holds the embedded matrix
//! to exactly these, and `generative.rs` draws its deployments from them.

/// The services of the IaaS model.
pub const IAAS_SERVICES: &[&str] = &[
    "compute",
    "instance-pool",
    "block-storage",
    "object-storage",
    "private-network",
    "security-groups",
    "elastic-ip",
    "load-balancer",
    "sks",
    "dns",
    "kms",
];
/// The services of the DBaaS model.
pub const DBAAS_SERVICES: &[&str] = &[
    "dbaas-pg",
    "dbaas-mysql",
    "dbaas-kafka",
    "dbaas-valkey",
    "dbaas-opensearch",
    "dbaas-grafana",
    "dbaas-clickhouse",
    "dbaas-thanos",
];
/// Every zone and the country it is in.
pub const ZONES: &[(&str, &str)] = &[
    ("ch-gva-2", "CH"),
    ("ch-dk-2", "CH"),
    ("de-fra-1", "DE"),
    ("de-muc-1", "DE"),
    ("at-vie-1", "AT"),
    ("at-vie-2", "AT"),
    ("bg-sof-1", "BG"),
    ("hr-zag-1", "HR"),
];
