// bench/compare.sh's bare baseline: three ClientWebSocket subscriptions that receive and discard, and a 1 Hz timer
// that appends one line. Usage: kxbaseline OUT_FILE COINBASE_URL KRAKEN_URL BITSTAMP_URL
using System.Net.WebSockets;
using System.Text;

if (args.Length != 4)
{
    await Console.Error.WriteLineAsync("usage: kxbaseline OUT_FILE COINBASE_URL KRAKEN_URL BITSTAMP_URL");
    return 2;
}

string[] subscribes =
[
    """{"type":"subscribe","product_ids":["BTC-USD"],"channels":["ticker","heartbeat"]}""",
    """{"method":"subscribe","params":{"channel":"ticker","symbol":["BTC/USD"],"event_trigger":"bbo"},"req_id":1}""",
    """{"event":"bts:subscribe","data":{"channel":"order_book_btcusd"}}""",
];
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

var receivers = Enumerable.Range(0, 3).Select(i => ReceiveAsync(new Uri(args[i + 1]), subscribes[i], stop.Token)).ToList();
await using var file = new FileStream(args[0], FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
var time = TimeProvider.System;
using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
try
{
    while (await timer.WaitForNextTickAsync(stop.Token))
    {
        file.Write(Encoding.UTF8.GetBytes($"{{\"type\":\"tick\",\"ts\":\"{time.GetUtcNow():O}\"}}\n"));
    }
}
catch (OperationCanceledException)
{
}

return 0;

static async Task ReceiveAsync(Uri url, string subscribe, CancellationToken token)
{
    using var socket = new ClientWebSocket();
    await socket.ConnectAsync(url, token);
    await socket.SendAsync(Encoding.UTF8.GetBytes(subscribe), WebSocketMessageType.Text, endOfMessage: true, token);
    var buffer = new byte[64 * 1024];
    while (!token.IsCancellationRequested)
    {
        await socket.ReceiveAsync(buffer.AsMemory(), token);
    }
}
