namespace HostPanel.EndToEnd.Tests;

/// <summary>
/// What the test world tells the tests through its environment (scripts/testworld.sh env):
/// the engine, the registry's images, the proxy, the CA and its DNS. The tests run inside the
/// world's network namespace (scripts/testworld.sh exec), so every address here is loopback.
/// </summary>
internal static class WorldSettings
{
    public static string DockerHost => Require("DOCKER_HOST");
    public static string WebImage => Require("HOSTPANEL_TEST_IMAGE_WEB");
    public static string Dns => Require("HOSTPANEL_TEST_DNS");
    public static string AcmeDirectory => Require("HOSTPANEL_TEST_ACME_DIRECTORY");
    public static string AcmeTlsCaFile => Require("HOSTPANEL_TEST_ACME_TLS_CA_FILE");
    public static string IssuerRoot => Require("HOSTPANEL_TEST_ISSUER_ROOT");
    public static string CaddyAdminSocket => Require("HOSTPANEL_TEST_CADDY_ADMIN")["unix://".Length..];
    public static string Directory => Require("HOSTPANEL_TESTWORLD_DIR");

    private static string Require(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the end-to-end tests with scripts/testworld.sh exec (scripts/test.sh does).");
}
