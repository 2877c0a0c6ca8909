using Breachline.Fuzz;
using SharpFuzz;

// Usage: Breachline.Fuzz TARGET            (under afl-fuzz: reads inputs from AFL++'s shared memory)
//        Breachline.Fuzz TARGET FILE...    (replays inputs, e.g. a crash AFL++ saved, outside the fuzzer)
if (args.Length == 0 || !Targets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine($"usage: Breachline.Fuzz TARGET [FILE...]; targets: {string.Join(", ", Targets.All.Keys)}");
    return 2;
}

var scratch = new Scratch();
if (args.Length > 1)
{
    foreach (var file in args[1..])
    {
        target(File.ReadAllBytes(file), scratch);
        Console.WriteLine($"ok {file}");
    }

    return 0;
}

Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray(), scratch);
});
return 0;
