namespace Tend.Dummy;

/// <summary>The usage text: every command and what a test uses it for.</summary>
internal static class Usage
{
    private const string Text = """
        usage: dotnet Tend.Dummy.dll COMMAND [ARGS...]

        output
          echo TEXT...                      print the words on stdout
          echo-stderr TEXT...               print the words on stderr
          env NAME...                       print NAME=value for each (empty value if unset)
          cwd                               print the working directory
          lines N [--stderr-every K] [--delay-ms D]
                                            print N numbered lines 'line 000001 out ...'; every
                                            K-th goes to stderr as 'line 00000K err ...'; each
                                            line flushed, D ms apart
          flood BYTES                       write BYTES bytes to stdout as fast as possible,
                                            in lines of 100 bytes
          stdin-echo                        copy stdin to stdout until EOF

        exit and time
          exit CODE [--print TEXT]          print TEXT (if given), exit with CODE
          sleep MS [--ignore-term] [--ready]
                                            sleep MS milliseconds, exit 0; ignore SIGTERM if
                                            asked; print 'ready' on stderr once set up
          eat MB [--step-ms MS]             hold MB megabytes of resident memory, 10 MB every MS,
                                            printing 'ate N MB' after each step; then sleep
          crash-after MS [--code C]         sleep MS, print 'fatal: something broke' on stderr,
                                            exit C (default 1)

        network (PORT 0 picks a free port; the line says which)
          http PORT STATUS [--body TEXT] [--delay-ms D]
                                            serve HTTP/1.1 on 127.0.0.1:PORT, answering every
                                            request with STATUS and TEXT after D ms; prints
                                            'listening on 127.0.0.1:PORT' when ready
          listen PORT                       accept TCP connections and hold them open, never
                                            answering; prints 'listening on 127.0.0.1:PORT'
          close-on-accept PORT [--reset]    accept TCP connections and close them at once (RST
                                            with --reset); prints 'listening on 127.0.0.1:PORT'

        signals and process groups
          ignore-term [--ms MS]             ignore SIGTERM, print 'ready', sleep MS (default:
                                            forever)
          wait-signal                       print 'ready', wait for SIGTERM or SIGINT, print
                                            'got SIGTERM' or 'got SIGINT', exit 0
          spawn-children N [--ignore-term]  start N copies of itself ('sleep 600000', ignoring
                                            TERM if asked) in the same process group, holding
                                            stdout; print 'child PID' as each is ready, then
                                            sleep forever
          fork-bomb GENERATIONS WIDTH PIDFILE [--ignore-term] [--every-ms MS]
                                            processes that each call setsid() and keep WIDTH
                                            children alive (respawned 100 ms after they die),
                                            or fork WIDTH new ones every MS, GENERATIONS deep;
                                            each appends its PID to PIDFILE; all ignore TERM
                                            if asked; prints 'ready'

        agent-style stream-JSON (one JSON object a line on stdout)
          stream-json ok                    system, assistant, success result; exit 0
          stream-json rate-limit EPOCH      rate_limit_event resetting at EPOCH, error result;
                                            exit 1
          stream-json server-error          API 500 error result; exit 1
          stream-json auth                  API 401 authentication error result; exit 1
          stream-json hang                  success result, then sleep forever
          stream-json background [--child-ms MS]
                                            success result, then start a child holding stdout
                                            (default 600000 ms, pid on stderr) and wait for it
          stream-json rate-limit-no-reset   API 429 error result without a reset time; exit 1
          stream-json timeout               API 408 error result; exit 1
          stream-json network               'read ECONNRESET' on stderr; exit 1
          stream-json crash                 a stack-trace-like line, no result; exit 1
          stream-json config-broken         'startup check failed' on stderr; exit 78
          stream-json silent-hang           no result, sleep forever
          options for every scenario: -p PROMPT or --stdin (echo the prompt with TEND_ROUND
          and TEND_PHASE), --sentinel TEXT (write $TEND_LOG_DIR/.tend-done, or $TEND_SENTINEL),
          --secret S (print 'Authorization: Bearer S' on stderr)

        --help prints this text and exits 0; a bad command line prints it on stderr, exits 2.
        """;

    public static int Show()
    {
        Console.Out.WriteLine(Text);
        return 0;
    }

    public static int Fail(string problem)
    {
        Console.Error.WriteLine($"Tend.Dummy: {problem}");
        Console.Error.WriteLine(Text);
        return 2;
    }
}
