variable "zone" {
  description = "The zone of the database; set by the caller."
  type        = string
}

variable "name" {
  type = string
}

variable "allowed_cidr" {
  description = "The only network that may connect."
  type        = string
}
