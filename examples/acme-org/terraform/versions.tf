# The root module of ACME's patient-records platform. Run `terraform plan` here;
# `plan.json` beside it is that plan as `terraform show -json plan.out` writes it
# (pretty-printed for reading; srmlint reads either form).
terraform {
  required_version = ">= 1.5"
  required_providers {
    exoscale = {
      source  = "exoscale/exoscale"
      version = "~> 0.70"
    }
  }
}

# Credentials come from EXOSCALE_API_KEY and EXOSCALE_API_SECRET.
provider "exoscale" {}
