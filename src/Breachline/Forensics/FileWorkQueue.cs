namespace Breachline.Forensics;

/// <summary>
/// Work shared by a fixed number of threads: the next range of the file being cut, else, once no file is
/// being cut, the next file. Reading a range queues the next range of its file before parsing, so another
/// thread can cut and parse it meanwhile. One file is cut at a time: a thread that started the next file
/// while the current one was still being cut ran ahead of the merge, which takes results in file order,
/// and was soon held back (the hunt's merger), leaving one thread to do the work of two.
/// A free thread waits for the cutter instead: cutting (read, hash, find the boundary) is about a quarter
/// of a range's work, so two threads stay busy on one file.
/// </summary>
internal sealed class FileWorkQueue<TWorker>
    where TWorker : new()
{
    private readonly Queue<Action<TWorker>> _files = new();
    private readonly Stack<Action<TWorker>> _continuations = new();
    private int _running;
    private bool _cutting;
    private bool _failed;

    /// <summary>The file being cut has no more ranges to cut (or is read whole): the next file may start.</summary>
    public void DoneCutting()
    {
        lock (_files)
        {
            _cutting = false;
            Monitor.PulseAll(_files);
        }
    }

    public void Continue(Action<TWorker> work)
    {
        lock (_files)
        {
            _continuations.Push(work);
            Monitor.Pulse(_files);
        }
    }

    public void Run(int threads, IEnumerable<Action<TWorker>> files, Action failed, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            _files.Enqueue(file);
        }

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken }, _ =>
        {
            var worker = new TWorker();
            while (Take() is { } work)
            {
                try
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    work(worker);
                }
                catch
                {
                    lock (_files)
                    {
                        _failed = true;
                    }

                    failed();
                    throw;
                }
                finally
                {
                    lock (_files)
                    {
                        _running--;
                        Monitor.PulseAll(_files);
                    }
                }
            }
        });
    }

    private Action<TWorker>? Take()
    {
        lock (_files)
        {
            while (!_failed)
            {
                if (_continuations.TryPop(out var work))
                {
                    _running++;
                    return work;
                }

                if (!_cutting && _files.TryDequeue(out work))
                {
                    _running++;
                    _cutting = true;
                    return work;
                }

                if (_running == 0)
                {
                    // Nobody is left to queue a range: whatever was cutting has ended.
                    if (_files.Count > 0)
                    {
                        _cutting = false;
                        continue;
                    }

                    return null;
                }

                // Another thread is cutting a file and will queue its next range, or finish.
                Monitor.Wait(_files);
            }

            return null;
        }
    }
}
