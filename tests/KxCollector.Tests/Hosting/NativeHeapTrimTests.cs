using System.Globalization;
using System.Runtime.InteropServices;
using KxCollector.Hosting.NativeHeap;
using KxCollector.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KxCollector.Tests.Hosting;

/// <summary>
/// The native heap trim: once a minute on the injected clock, silent while it works, said once and stopped where the
/// C library cannot trim; and on this machine's glibc it really gives free native memory back (measured in RSS).
/// </summary>
public sealed class NativeHeapTrimTests
{
    [Fact]
    public async Task The_heap_is_trimmed_once_a_minute_from_start_until_stop()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var heap = new CountingHeap(canTrim: true);
        var logger = new ListLogger();
        using var service = new NativeHeapTrimService(heap, time, new ListLogger<NativeHeapTrimService>(logger));
        await service.StartAsync(default);

        time.Advance(TimeSpan.FromSeconds(59));
        heap.Trims.Should().Be(0);
        time.Advance(TimeSpan.FromSeconds(1));
        heap.Trims.Should().Be(1);
        for (var minute = 0; minute < 10; minute++)
        {
            time.Advance(TimeSpan.FromMinutes(1));
        }

        heap.Trims.Should().Be(11);
        logger.Entries.Should().BeEmpty("a working trim says nothing");

        await service.StopAsync(default);
        time.Advance(TimeSpan.FromMinutes(5));
        heap.Trims.Should().Be(11, "nothing runs after stop");
    }

    [Fact]
    public async Task A_C_library_that_cannot_trim_is_said_once_and_not_asked_again()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero));
        var heap = new CountingHeap(canTrim: false);
        var logger = new ListLogger();
        using var service = new NativeHeapTrimService(heap, time, new ListLogger<NativeHeapTrimService>(logger));
        await service.StartAsync(default);

        time.Advance(TimeSpan.FromMinutes(30));

        heap.Trims.Should().Be(1);
        logger.Entries.Should().ContainSingle().Which.Message.Should().Contain("cannot trim");
        logger.Entries[0].Level.Should().Be(LogLevel.Information);
    }

    [Fact]
    public void On_glibc_a_trim_gives_freed_native_memory_back_to_the_system()
    {
        // 64 MB in 512-byte blocks (below glibc's mmap threshold, so they come from an arena), every page touched,
        // then all freed but one block in 64: free() leaves the freed pages resident (only an arena's top is given
        // back by free itself), and malloc_trim must release the whole free pages between the blocks still held.
        const int blockSize = 512;
        const int blocks = 64 * 1024 * 1024 / blockSize;
        var kept = new List<nint>();
        var all = new nint[blocks];
        long released;
        unsafe
        {
            for (var i = 0; i < blocks; i++)
            {
                var block = (byte*)NativeMemory.Alloc(blockSize);
                new Span<byte>(block, blockSize).Fill(1);
                all[i] = (nint)block;
            }

            for (var i = 0; i < blocks; i++)
            {
                if (i % 64 == 0)
                {
                    kept.Add(all[i]);
                }
                else
                {
                    NativeMemory.Free((void*)all[i]);
                }
            }

            try
            {
                var before = ResidentBytes();
                new GlibcHeap().TryTrim().Should().BeTrue("this machine's C library is glibc");
                released = before - ResidentBytes();
            }
            finally
            {
                foreach (var block in kept)
                {
                    NativeMemory.Free((void*)block);
                }
            }
        }

        released.Should().BeGreaterThan(32L * 1024 * 1024, "about 56 MB of the 64 are whole free pages");
    }

    /// <summary>Resident pages of this process from /proc/self/statm (second field), in bytes.</summary>
    private static long ResidentBytes()
    {
        var pages = long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], CultureInfo.InvariantCulture);
        return pages * Environment.SystemPageSize;
    }

    private sealed class CountingHeap(bool canTrim) : INativeHeap
    {
        private int _trims;

        public int Trims => Volatile.Read(ref _trims);

        public bool TryTrim()
        {
            Interlocked.Increment(ref _trims);
            return canTrim;
        }
    }
}
