# Security groups per tier: the web tier accepts HTTPS from anywhere and SSH from the
# bastion only; the database accepts the private network alone (modules/postgres).

resource "exoscale_security_group" "web" {
  name        = "patient-records-web"
  description = "Web tier"
}

resource "exoscale_security_group_rule" "web_https" {
  security_group_id = exoscale_security_group.web.id
  type              = "INGRESS"
  protocol          = "TCP"
  cidr              = "0.0.0.0/0"
  start_port        = 443
  end_port          = 443
}

resource "exoscale_security_group_rule" "web_ssh" {
  security_group_id = exoscale_security_group.web.id
  type              = "INGRESS"
  protocol          = "TCP"
  cidr              = "203.0.113.10/32"
  start_port        = 22
  end_port          = 22
}
