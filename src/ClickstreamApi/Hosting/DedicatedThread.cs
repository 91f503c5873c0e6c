using System.Collections.Concurrent;

namespace ClickstreamApi.Hosting;

/// <summary>
/// Runs an async loop on a thread of its own: every await in it comes back to that thread (a
/// single-threaded synchronization context), so the loop never waits for a thread-pool thread to
/// wake it and may block in a wait of its own (<see cref="IsCurrent"/>). For the generating loop,
/// whose pacing needs waits closer to a millisecond than a timer's (BENCHMARKS.md, issue 15). Not for
/// code that blocks on async work (sync over async): its continuations would wait for this thread,
/// which is the one blocked (the consumer's loop has a plain thread of its own for that reason).
/// </summary>
public sealed class DedicatedThread : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];
    private Thread? _thread;

    /// <summary>Whether the caller runs on this loop's thread (so blocking there holds up nothing else).</summary>
    public bool IsCurrent => Thread.CurrentThread == _thread;

    /// <summary>Starts <paramref name="loop"/> on a new background thread; the task completes as the loop does.</summary>
    public Task Run(string name, Func<Task> loop)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _thread = new Thread(() =>
        {
            SetSynchronizationContext(this);
            Task running;
            try
            {
                running = loop();
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
                return;
            }

            running.ContinueWith(_ => _queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var (callback, state) in _queue.GetConsumingEnumerable())
            {
                callback(state);
            }

            if (running.Exception is { } failure)
            {
                completion.SetException(failure.InnerExceptions);
            }
            else if (running.IsCanceled)
            {
                completion.SetCanceled();
            }
            else
            {
                completion.SetResult();
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        _thread.Start();
        return completion.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // The loop has ended: whatever still comes back runs on the thread pool.
            ThreadPool.QueueUserWorkItem(static s => s.Callback(s.State), (Callback: d, State: state), preferLocal: false);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) => throw new NotSupportedException("The generating loop's thread takes posted work only.");

    public override SynchronizationContext CreateCopy() => this;
}
