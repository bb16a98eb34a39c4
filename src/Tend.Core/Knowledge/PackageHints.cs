namespace Tend.Core.Knowledge;

/// <summary>
/// Which Debian package provides a program that was not found, for the step that installs it.
/// Written down by hand: `apt-file` or `command-not-found` would know more, but neither is
/// installed by default, and their databases need a download. The list covers what stacks of
/// services commonly run and what Tend's own next steps use; an unknown program gets no such
/// step rather than a guess.
/// </summary>
public static class PackageHints
{
    private static readonly Dictionary<string, string> DebianPackages = new(StringComparer.Ordinal)
    {
        ["python3"] = "python3",
        ["python"] = "python-is-python3",
        ["pip"] = "python3-pip",
        ["pip3"] = "python3-pip",
        ["alembic"] = "alembic",
        ["node"] = "nodejs",
        ["npm"] = "npm",
        ["npx"] = "npm",
        ["redis-server"] = "redis-server",
        ["redis-cli"] = "redis-tools",
        ["psql"] = "postgresql-client",
        ["pg_isready"] = "postgresql-client",
        ["createdb"] = "postgresql-client",
        ["pg_dump"] = "postgresql-client",
        ["pg_restore"] = "postgresql-client",
        ["redis-check-rdb"] = "redis-tools",
        ["tar"] = "tar",
        ["etcd"] = "etcd-server",
        ["etcdctl"] = "etcd-client",
        ["curl"] = "curl",
        ["wget"] = "wget",
        ["nc"] = "netcat-openbsd",
        ["ping"] = "iputils-ping",
        ["ss"] = "iproute2",
        ["ip"] = "iproute2",
        ["lspci"] = "pciutils",
        ["docker"] = "docker.io",
        ["git"] = "git",
        ["make"] = "make",
        ["gcc"] = "gcc",
        ["go"] = "golang-go",
        ["java"] = "default-jre-headless",
        ["jq"] = "jq",
        ["nginx"] = "nginx",
        ["openssl"] = "openssl",
        ["sqlite3"] = "sqlite3",
        ["rsync"] = "rsync",
        ["ssh"] = "openssh-client",
        ["sshd"] = "openssh-server",
        ["supervisord"] = "supervisor",
        ["prometheus"] = "prometheus",
        ["chromium"] = "chromium",
        ["setsid"] = "util-linux",
        ["setpriv"] = "util-linux",
    };

    /// <summary>Program to Debian package, for a spec that asks apt whether each package exists.</summary>
    public static IReadOnlyDictionary<string, string> Debian => DebianPackages;

    /// <summary>The command that installs <paramref name="program"/> here (apt-get on Debian and its kin); null when unknown or not an apt system.</summary>
    public static string? InstallCommand(string program, bool isRoot)
    {
        ArgumentNullException.ThrowIfNull(program);
        if (!DebianPackages.TryGetValue(Path.GetFileName(program), out var package)
            || !File.Exists("/etc/debian_version")
            || Processes.ExecutableLookup.Find("apt-get", "/") is null)
        {
            return null;
        }

        return $"{(isRoot ? "" : "sudo ")}apt-get install {package}";
    }
}
