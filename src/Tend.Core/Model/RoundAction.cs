namespace Tend.Core.Model;

/// <summary>What the supervisor does after a round failed in a given bucket.</summary>
public enum RoundAction
{
    /// <summary>Wait (until the reset time, or an exponential delay), then run the next round.</summary>
    BackOff,

    /// <summary>Run no more rounds until someone restarts the component.</summary>
    Stop,

    /// <summary>Tell a person (a round_alert event) and go on after the failure delay.</summary>
    Alert,
}

/// <summary>The stack-file names of <see cref="RoundAction"/>s.</summary>
public static class RoundActions
{
    public static readonly IReadOnlyList<string> Names = ["back_off", "stop", "alert"];

    public static string Name(RoundAction action) => action switch
    {
        RoundAction.BackOff => "back_off",
        RoundAction.Stop => "stop",
        RoundAction.Alert => "alert",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, "unknown round action"),
    };

    public static bool TryParse(string name, out RoundAction action)
    {
        foreach (var candidate in Enum.GetValues<RoundAction>())
        {
            if (Name(candidate) == name)
            {
                action = candidate;
                return true;
            }
        }

        action = default;
        return false;
    }
}
