# Managed PostgreSQL for the patient records, reachable from the private network only.
resource "exoscale_dbaas" "this" {
  zone = var.zone
  name = var.name
  type = "pg"
  plan = "business-4"

  maintenance_dow  = "sunday"
  maintenance_time = "02:00:00"

  pg = {
    version         = "16"
    backup_schedule = "04:00"
    ip_filter       = [var.allowed_cidr]
  }
}

resource "exoscale_dbaas_pg_database" "records" {
  zone          = var.zone
  service       = exoscale_dbaas.this.name
  database_name = "records"
}
