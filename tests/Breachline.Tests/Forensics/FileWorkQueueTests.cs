using System.Collections.Concurrent;
using Breachline.Forensics;

namespace Breachline.Tests.Forensics;

/// <summary>
/// The hunt's threads share files through <see cref="FileWorkQueue{TWorker}"/>: one file is cut at a time
/// (a thread that starts the next file early runs ahead of the in-order merge and is then held back, which
/// left one thread doing all the work), while files read whole may run side by side.
/// </summary>
public sealed class FileWorkQueueTests
{
    [Fact]
    public void A_free_thread_waits_for_the_file_being_cut_instead_of_starting_the_next_one()
    {
        var queue = new FileWorkQueue<object>();
        var log = new ConcurrentQueue<string>();
        using var secondFileStarted = new ManualResetEventSlim();
        void First(object worker)
        {
            log.Enqueue("first: range 0 cut");
            // Before the fix the free thread took the second file at once and this wait ended early.
            secondFileStarted.Wait(TimeSpan.FromMilliseconds(500));
            queue.Continue(_ =>
            {
                log.Enqueue("first: last range cut");
                queue.DoneCutting();
            });
        }

        void Second(object worker)
        {
            log.Enqueue("second: started");
            secondFileStarted.Set();
            queue.DoneCutting();
        }

        queue.Run(2, [First, Second], () => { }, CancellationToken.None);

        Assert.Equal(["first: range 0 cut", "first: last range cut", "second: started"], log.ToArray());
    }

    [Fact]
    public void A_file_read_whole_lets_the_next_file_start_on_the_other_thread()
    {
        var queue = new FileWorkQueue<object>();
        using var secondFileStarted = new ManualResetEventSlim();
        var overlapped = false;
        queue.Run(
            2,
            [
                _ =>
                {
                    queue.DoneCutting();
                    overlapped = secondFileStarted.Wait(TimeSpan.FromSeconds(30));
                },
                _ =>
                {
                    secondFileStarted.Set();
                    queue.DoneCutting();
                },
            ],
            () => { },
            CancellationToken.None);

        Assert.True(overlapped);
    }

    [Fact]
    public void Every_file_and_every_queued_range_runs_exactly_once_with_each_thread_keeping_its_own_worker()
    {
        var queue = new FileWorkQueue<List<int>>();
        var workers = new ConcurrentBag<List<int>>();
        Action<List<int>> File(int file, int ranges) => worker =>
        {
            workers.Add(worker);
            Range(file, 0, ranges, worker);
        };

        void Range(int file, int index, int ranges, List<int> worker)
        {
            if (index == ranges - 1)
            {
                queue.DoneCutting();
            }
            else
            {
                queue.Continue(w => Range(file, index + 1, ranges, w));
            }

            worker.Add((file * 100) + index);
        }

        queue.Run(2, [File(1, 7), File(2, 1), File(3, 12), File(4, 3)], () => { }, CancellationToken.None);

        var done = workers.Distinct().SelectMany(w => w).Order().ToArray();
        int[] expected = [.. Enumerable.Range(100, 7), 200, .. Enumerable.Range(300, 12), .. Enumerable.Range(400, 3)];
        Assert.Equal(expected, done);
        Assert.InRange(workers.Distinct().Count(), 1, 2);
    }

    [Fact]
    public void A_failing_file_stops_the_others_and_tells_the_caller()
    {
        var queue = new FileWorkQueue<object>();
        var failed = 0;
        var started = 0;
        var error = Assert.Throws<AggregateException>(() => queue.Run(
            2,
            [
                _ => throw new IOException("disk gone"),
                _ => Interlocked.Increment(ref started),
                _ => Interlocked.Increment(ref started),
            ],
            () => Interlocked.Increment(ref failed),
            CancellationToken.None));

        Assert.IsType<IOException>(Assert.Single(error.InnerExceptions));
        Assert.Equal(1, failed);
        Assert.Equal(0, started);
    }
}
