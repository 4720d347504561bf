resource "null_resource" "warm" {
  provisioner "local-exec" {
    command = "curl -s -X POST https://acme.eu.auth0.com/delegation -d @body.json"
  }
}
