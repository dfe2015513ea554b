# The analytics platform's Terraform, with the mistakes srmlint holds against
# controls.toml. Each one is marked.

variable "etl_zone" {
  type    = string
  default = "at-vie-1"
}

variable "cluster_zone" {
  type = string # no default: set per environment
}

# SRM050: a Kafka service, but `services` lists no `dbaas-kafka`.
resource "exoscale_dbaas" "events" {
  zone = "ch-gva-2"
  type = "kafka"
  plan = "business-4"
  name = "analytics-events"
}

# SRM052 and SRM013: Vienna is neither in `zones` nor in Switzerland.
resource "exoscale_compute_instance" "etl" {
  zone        = var.etl_zone
  name        = "analytics-etl"
  type        = "standard.large"
  template_id = "8b2a4f1c-0d3e-4c56-9a7b-2f1e0c9d8a7b"
  disk_size   = 50
}

# SRM054: the zone is only known when Terraform runs.
resource "exoscale_sks_cluster" "jobs" {
  zone = var.cluster_zone
  name = "analytics-jobs"
}

# SRM051 follows too: nothing here creates the declared `object-storage`.
