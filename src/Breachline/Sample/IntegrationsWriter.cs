namespace Breachline.Sample;

/// <summary>
/// Writes integrations/: the student-portal service (Python/Django), the LMS sync middleware (Java/Spring
/// Boot configuration) and the SFTP/batch transfer scripts (bash, PowerShell), with hard-coded
/// credentials in real formats and clean look-alikes (env-var references, placeholders, marked test values).
/// </summary>
internal static class IntegrationsWriter
{
    public static void Plant(Plantings p, OrgProfile org, FakeSecrets s)
    {
        var portalExploited = org.Options.Scenario == SampleScenario.PortalCredentials;
        var sfUser = $"{OrgProfile.PortalUser}@{org.UserDomain}";
        var settings = p.File("integrations/student-portal/portal/settings.py").Lines("""
            # Django settings for the student self-service portal.
            import os
            from pathlib import Path

            BASE_DIR = Path(__file__).resolve().parent.parent
            DEBUG = False
            ALLOWED_HOSTS = ["portal.campusbridge.example", "localhost"]

            """);
        settings.Finding("hardcoded-credential", "Django SECRET_KEY in source", $"SECRET_KEY = \"{s.DjangoSecretKey}\"");
        settings.Lines("""

            # Postgres holds sessions and the portal's cache of schedules.
            """);
        settings.Finding("hardcoded-credential", "database URL with password", $"DATABASE_URL = \"postgresql://portal_app:{s.DbPassword}@portal-db.internal:5432/portal\"");
        settings.Lines($"""

            # Salesforce connection (username-password OAuth flow, Student Portal Sync connected app).
            SALESFORCE = {"{"}
                "instance_url": "{org.InstanceUrl}",
                "api_version": "62.0",
            """);
        settings.Finding("hardcoded-credential", "Salesforce consumer key", $"    \"consumer_key\": \"{s.PortalConsumerKey}\",", portalExploited);
        settings.Finding("hardcoded-credential", "Salesforce consumer secret", $"    \"consumer_secret\": \"{s.PortalConsumerSecret}\",", portalExploited);
        settings.Line($"    \"username\": \"{sfUser}\",");
        settings.Finding("hardcoded-credential", "Salesforce integration user password", $"    \"password\": \"{s.PortalPassword}\",", portalExploited);
        settings.Finding("hardcoded-credential", "Salesforce security token", $"    \"security_token\": \"{s.PortalSecurityToken}\",", portalExploited);
        settings.Lines("""
            }

            SESSION_COOKIE_SECURE = True
            CSRF_COOKIE_SECURE = True
            """);

        var client = p.File("integrations/student-portal/portal/salesforce_client.py").Lines("""
            import os

            import requests

            from portal import settings


            def token():
                cfg = settings.SALESFORCE
                response = requests.post(
                    cfg["instance_url"] + "/services/oauth2/token",
                    data={
                        "grant_type": "password",
                        "client_id": cfg["consumer_key"],
            """);
        client.Negative("hardcoded-credential", "reads the secret from configuration, holds no value", "            \"client_secret\": cfg[\"consumer_secret\"],");
        client.Lines("""
                        "username": cfg["username"],
                        "password": cfg["password"] + cfg["security_token"],
                    },
                    timeout=10,
                )
                response.raise_for_status()
                return response.json()["access_token"]


            def student(contact_id):
                headers = {"Authorization": "Bearer " + token()}
                url = settings.SALESFORCE["instance_url"] + "/services/data/v62.0/sobjects/Contact/" + contact_id
                return requests.get(url, headers=headers, timeout=10).json()
            """);
        client.Negative("hardcoded-credential", "secret taken from the environment", "SENTRY_DSN = os.environ.get(\"SENTRY_DSN\", \"\")");

        var example = p.File("integrations/student-portal/.env.example").Lines("""
            # Copy to .env and fill in. Never commit the filled file.
            SALESFORCE_INSTANCE_URL=https://your-domain.my.salesforce.com
            SALESFORCE_CONSUMER_KEY=<your-consumer-key>
            """);
        example.Negative("hardcoded-credential", "placeholder", "SALESFORCE_CONSUMER_SECRET=<your-consumer-secret>");
        example.Negative("hardcoded-credential", "placeholder", "SALESFORCE_PASSWORD=changeme");
        example.Line("DATABASE_URL=postgresql://portal_app:${DB_PASSWORD}@localhost:5432/portal");

        var test = p.File("integrations/student-portal/tests/test_salesforce_client.py").Lines("""
            from unittest import mock

            from portal import salesforce_client

            """);
        test.Negative("hardcoded-credential", "test value, marked as such", "FAKE_SECRET = \"test-secret-not-a-real-credential\"  # test fixture only");
        test.Lines("""


            def test_token_posts_the_password_grant():
                with mock.patch("portal.salesforce_client.requests.post") as post:
                    post.return_value.json.return_value = {"access_token": "00Dxx0000000000!AQ0AQtest"}
                    assert salesforce_client.token().startswith("00D")
            """);

        var nginx = p.File("integrations/student-portal/deploy/nginx/portal.conf").Lines("""
            log_format gateway_json escape=json '{"time":"$time_iso8601","client_ip":"$remote_addr","method":"$request_method",'
                '"path":"$uri","status":$status,"bytes":$body_bytes_sent,"latency_ms":$request_time,"user_agent":"$http_user_agent"}';

            server {
                listen 443 ssl;
                server_name portal.campusbridge.example;
            """);
        nginx.Negative("insufficient-logging", "gateway requests logged as JSON lines", "    access_log /var/log/nginx/portal_gateway.jsonl gateway_json;");
        nginx.Lines("""
                location / {
                    proxy_pass http://127.0.0.1:8000;
                }
            }

            server {
                listen 443 ssl;
                server_name sync.campusbridge.example;
            """);
        nginx.Finding("insufficient-logging", "access log disabled on the Salesforce sync endpoint", "    access_log off;");
        nginx.Lines("""
                location /sync/ {
                    proxy_pass http://127.0.0.1:8100;
                }
            }
            """);

        var yml = p.File("integrations/lms-sync/src/main/resources/application.yml").Lines($"""
            spring:
              application:
                name: lms-sync
            salesforce:
              instance-url: https://lakeshore-state.my.salesforce.com
              api-version: "62.0"
            """);
        yml.Finding("hardcoded-credential", "Salesforce consumer key", $"  client-id: {s.LmsConsumerKey}");
        yml.Finding("hardcoded-credential", "Salesforce consumer secret", $"  client-secret: {s.LmsConsumerSecret}");
        yml.Finding("hardcoded-credential", "Salesforce OAuth refresh token", $"  refresh-token: {s.LmsRefreshToken}");
        yml.Lines("""
            lti:
              issuer: https://lakeshore-state.instructure.com
              client-id: "10000000000042"
            """);
        yml.Finding("hardcoded-credential", "LTI 1.1 shared secret", $"  shared-secret: {s.LtiSharedSecret}");
        yml.Lines("""
            aws:
              region: us-east-2
              s3-bucket: lsu-lms-grade-exports
            """);
        yml.Finding("hardcoded-credential", "AWS access key id", $"  access-key-id: {s.AwsAccessKeyId}");
        yml.Finding("hardcoded-credential", "AWS secret access key", $"  secret-access-key: {s.AwsSecretAccessKey}");
        yml.Lines("""
            sync:
              cron: "0 */15 * * * *"
              batch-size: 200
            """);

        var ymlTest = p.File("integrations/lms-sync/src/test/resources/application-test.yml").Lines("""
            # Test profile: values below are documentation examples, not credentials.
            aws:
              region: us-east-2
            """);
        ymlTest.Negative("hardcoded-credential", "AWS documentation example key", "  access-key-id: AKIAIOSFODNN7EXAMPLE");
        ymlTest.Negative("hardcoded-credential", "AWS documentation example secret", "  secret-access-key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
        ymlTest.Line("salesforce:");
        ymlTest.Negative("hardcoded-credential", "environment reference", "  client-secret: ${SF_CLIENT_SECRET}");

        var java = p.File("integrations/lms-sync/src/main/java/edu/lakeshore/lmssync/SalesforceTokenProvider.java").Lines("""
            package edu.lakeshore.lmssync;

            import org.springframework.beans.factory.annotation.Value;
            import org.springframework.stereotype.Component;

            @Component
            public class SalesforceTokenProvider {
            """);
        java.Negative("hardcoded-credential", "injected from configuration", "    @Value(\"${salesforce.client-secret}\") private String clientSecret;");
        java.Negative("hardcoded-credential", "injected from configuration", "    @Value(\"${salesforce.refresh-token}\") private String refreshToken;");
        java.Lines("""

                public String clientSecret() {
                    return clientSecret;
                }
            }
            """);

        var export = p.File("integrations/sftp-batch/nightly_enrollment_export.sh").Lines($"""
            #!/usr/bin/env bash
            # Nightly enrollment extract for the state reporting office.
            set -euo pipefail
            OUT=/data/exports/enrollment_$(date +%Y%m%d).csv
            sf data export bulk --query "SELECT Id, hed__Contact__c, hed__Status__c FROM hed__Course_Enrollment__c" --output-file "$OUT" --target-org sis
            """);
        var ftpLine = $"curl --silent --show-error -T \"$OUT\" \"ftp://sisxfer:{s.FtpPassword}@ftp.state-reporting.example/incoming/\"";
        export.Finding("insecure-transfer", "student records sent over plain FTP", ftpLine);
        p.Findings.Add(new TruthFinding("hardcoded-credential", export.Path, export.LineCount, "FTP password in the URL", null));
        export.Line("rm -f \"$OUT\"");

        var upload = p.File("integrations/sftp-batch/upload_grades.sh").Lines("""
            #!/usr/bin/env bash
            # Final grades to the registrar's archive over SFTP; key and host come from the job's environment.
            set -euo pipefail
            : "${SFTP_HOST:?}" "${SFTP_KEY:?}"
            """);
        upload.Negative("insecure-transfer", "SFTP with a key from the environment", "sftp -i \"$SFTP_KEY\" -b - \"registrar@${SFTP_HOST}\" <<< \"put /data/exports/grades.csv incoming/\"");
        p.Negatives.Add(new TruthFinding("hardcoded-credential", upload.Path, upload.LineCount, "key path from the environment", null));

        var key = p.File("integrations/sftp-batch/keys/sis_transfer_ed25519");
        key.Finding("hardcoded-credential", "private key committed with the scripts", s.PrivateKeyLines[0]);
        foreach (var line in s.PrivateKeyLines.Skip(1))
        {
            key.Line(line);
        }

        p.File("integrations/sftp-batch/keys/sis_transfer_ed25519.pub").Negative("hardcoded-credential", "public key, not a secret", s.PublicKey);

        var ps = p.File("integrations/sftp-batch/Send-FinAidFile.ps1").Lines("""
            # Sends the ISIR reconciliation file to the financial aid servicer.
            param([string]$Path = "D:\exports\finaid\isir_recon.csv")
            $User = "lsu_finaid"
            """);
        ps.Finding("hardcoded-credential", "servicer password in the script", $"$Password = ConvertTo-SecureString \"{s.FinAidPassword}\" -AsPlainText -Force");
        ps.Lines("""
            $Credential = New-Object System.Management.Automation.PSCredential($User, $Password)
            Set-SFTPItem -SessionId (New-SFTPSession -ComputerName "sftp.aid-servicer.example" -Credential $Credential).SessionId -Path $Path -Destination "/inbound"
            """);
        ps.Negative("hardcoded-credential", "secret read from the Windows credential store", "$Backup = Get-StoredCredential -Target \"finaid-backup\"");
    }
}
