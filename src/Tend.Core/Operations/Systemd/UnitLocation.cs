namespace Tend.Core.Operations.Systemd;

/// <summary>Where a unit file goes: the user's unit directory, or the system's.</summary>
public static class UnitLocation
{
    public const string SystemDirectory = "/etc/systemd/system";

    /// <summary><c>$XDG_CONFIG_HOME/systemd/user</c> (default <c>~/.config/systemd/user</c>) for a user unit, <c>/etc/systemd/system</c> for a system one.</summary>
    public static string Directory(UnitMode mode, Func<string, string?> environment)
    {
        if (mode == UnitMode.System)
        {
            return SystemDirectory;
        }

        // The XDG spec says a relative XDG_CONFIG_HOME is to be ignored, and systemd does.
        var config = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(environment("HOME") is { Length: > 0 } home ? home : System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "systemd", "user");
    }
}
