# Image members as Terraform, written by IMS Share Console.
# Provider huaweicloud/huaweicloud, resource huaweicloud_images_image_share, as its documentation defines it
# from version 1.67.0 on.
# The provider documents no import for this resource: the shares below are resources,
# and applying them shares again with members that already have the image, which IMS
# takes as a no-op.

terraform {
  required_providers {
    huaweicloud = {
      source  = "huaweicloud/huaweicloud"
      version = ">= 1.67.0"
    }
  }
}

# debian-12 "hardened" (d164b5df-1bc3-4c3f-893e-3e471fd16e64)
# Also shared with account 0123456789abcdef0123456789abcdef: the provider's resource takes projects only.
# Also shared with organization organizations::0123456789abcdef0123456789abcdef:ou:o-abc123/ou-def456: the provider's resource takes projects only.
resource "huaweicloud_images_image_share" "debian_12_hardened" {
  source_image_id = "d164b5df-1bc3-4c3f-893e-3e471fd16e64"
  target_project_ids = [
    "9c61004714024f9586705d090530f9fa", # acme-dev
    "edc89b490d7d4392898e19b2deb34797",
  ]
}

# ubuntu ${24.04} (0b680482-acaa-4045-b14c-9a8c7dfe9c70)
resource "huaweicloud_images_image_share" "ubuntu_24_04" {
  source_image_id = "0b680482-acaa-4045-b14c-9a8c7dfe9c70"
  target_project_ids = [
    "edc89b490d7d4392898e19b2deb34797",
  ]
}

# lonely (5f6e2a7c-8d9b-4e1f-a2b3-c4d5e6f7a8b9)
# Not shared with any project.
