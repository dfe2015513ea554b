locals {
  prefix = "patient-records"
}

data "exoscale_template" "debian" {
  zone = var.zone
  name = "Linux Debian 12 (Bookworm) 64-bit"
}

resource "exoscale_private_network" "backend" {
  zone     = var.zone
  name     = "${local.prefix}-backend"
  netmask  = "255.255.255.0"
  start_ip = "10.0.0.20"
  end_ip   = "10.0.0.250"
}

resource "exoscale_anti_affinity_group" "web" {
  name = "${local.prefix}-web"
}

resource "exoscale_compute_instance" "web" {
  count                   = var.web_instances
  zone                    = var.zone
  name                    = "${local.prefix}-web-${count.index}"
  type                    = "standard.medium"
  template_id             = data.exoscale_template.debian.id
  disk_size               = 20
  security_group_ids      = [exoscale_security_group.web.id]
  anti_affinity_group_ids = [exoscale_anti_affinity_group.web.id]

  network_interface {
    network_id = exoscale_private_network.backend.id
  }
}

# Patient files are encrypted in the application with keys held here.
resource "exoscale_kms_key" "records" {
  zone        = var.zone
  name        = "${local.prefix}-files"
  description = "Application keys for patient files"
  usage       = "encrypt-decrypt"
}

# The bucket itself is created with the AWS provider against the SOS endpoint
# (not shown); its policy is Exoscale's.
resource "exoscale_sos_bucket_policy" "files" {
  zone   = var.zone
  bucket = "${local.prefix}-files"
  policy = jsonencode({
    default-allow = false
  })
}

# The restic repository in the second zone.
resource "exoscale_sos_bucket_policy" "backups" {
  zone   = var.backup_zone
  bucket = "${local.prefix}-backups"
  policy = jsonencode({
    default-allow = false
  })
}

module "records_db" {
  source       = "./modules/postgres"
  zone         = var.zone
  name         = "${local.prefix}-db"
  allowed_cidr = "10.0.0.0/24"
}
