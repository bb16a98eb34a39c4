using System.Text;

namespace Tend.Daemon.Remote;

/// <summary>
/// The ssh command line of `--host`: TEND_SSH_COMMAND (as GIT_SSH_COMMAND: e.g. "ssh -F
/// ~/.ssh/pi_config" or "ssh -J jump") or plain ssh, then <c>-T -o BatchMode=yes ALIAS</c> and
/// the remote command (TEND_REMOTE_COMMAND, default <c>tend api --stdio</c>). Host keys are
/// checked as the user's ssh config says: never StrictHostKeyChecking=no.
/// </summary>
public static class SshCommand
{
    public const string SshVariable = "TEND_SSH_COMMAND";
    public const string RemoteVariable = "TEND_REMOTE_COMMAND";
    public const string DefaultRemote = "tend api --stdio";

    /// <summary>Why <paramref name="alias"/> cannot be a host; null when it can.</summary>
    public static string? Problem(string alias) =>
        string.IsNullOrWhiteSpace(alias) ? "--host needs an ssh host or alias"
        : alias.StartsWith('-') ? $"'{alias}' is not a host: a name beginning with '-' would be read by ssh as an option"
        : alias.Any(char.IsWhiteSpace) || alias.Any(char.IsControl) ? $"'{alias}' is not a host: it contains a space or a control character"
        : null;

    /// <summary>The program and its arguments.</summary>
    public static IReadOnlyList<string> For(string alias, Func<string, string?> environment)
    {
        var ssh = environment(SshVariable) is { Length: > 0 } given ? Split(given) : [];
        var remote = environment(RemoteVariable) is { Length: > 0 } command ? command : DefaultRemote;
        return [.. ssh.Count > 0 ? ssh : ["ssh"], "-T", "-o", "BatchMode=yes", alias, remote];
    }

    /// <summary>Words as a POSIX shell splits them: blanks between, '...' and "..." quote, a backslash escapes (no expansion).</summary>
    public static IReadOnlyList<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is ' ' or '\t' or '\n')
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c == '\'')
            {
                var end = text.IndexOf('\'', i + 1);
                end = end < 0 ? text.Length : end;
                word.Append(text, i + 1, end - i - 1);
                i = end;
            }
            else if (c == '"')
            {
                for (i++; i < text.Length && text[i] != '"'; i++)
                {
                    if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                    {
                        i++;
                    }

                    word.Append(text[i]);
                }
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
            }
            else
            {
                word.Append(c);
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
