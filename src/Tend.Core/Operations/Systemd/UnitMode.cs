namespace Tend.Core.Operations.Systemd;

/// <summary>Which systemd manager runs the unit: the user's own (<c>systemctl --user</c>) or the system's.</summary>
public enum UnitMode
{
    User,
    System,
}

public static class UnitModes
{
    /// <summary>"user" or "system", as the snapshot and the messages spell it.</summary>
    public static string Word(this UnitMode mode) => mode == UnitMode.User ? "user" : "system";

    /// <summary>The systemctl words for this mode: <c>systemctl --user</c> or <c>systemctl</c>.</summary>
    public static string Systemctl(this UnitMode mode) => mode == UnitMode.User ? "systemctl --user" : "systemctl";
}
