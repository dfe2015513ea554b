variable "zone" {
  description = "Where the platform runs: Geneva, so patient data stays in Switzerland."
  type        = string
  default     = "ch-gva-2"
}

variable "backup_zone" {
  description = "Where restic keeps the off-site copies: Zurich."
  type        = string
  default     = "ch-dk-2"
}

variable "web_instances" {
  type    = number
  default = 2
}
