// Runs the venue fakes in their own process for the soak script and the systemd tests (see FakesCommandLine).
return await KxCollector.Fakes.FakesCommandLine.RunAsync(args);
