using KxCollector.Hosting;

return await CommandLineApp.InvokeAsync(args);
