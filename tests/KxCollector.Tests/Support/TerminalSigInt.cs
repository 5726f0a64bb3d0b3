using System.Diagnostics;

namespace KxCollector.Tests.Support;

/// <summary>
/// Starts a program the way a terminal leaves it, with SIGINT at its default, for the tests that press Ctrl-C. A test
/// runner started in the background (nohup, a CI agent) hands its children SIGINT ignored; bash cannot trap a signal
/// ignored on entry and the .NET runtime keeps it ignored, so the signal would never reach the program. env resets it
/// and then execs the program, so the process id is the program's own.
/// </summary>
public static class TerminalSigInt
{
    public static ProcessStartInfo StartInfo(string program)
    {
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add(program);
        return info;
    }
}
