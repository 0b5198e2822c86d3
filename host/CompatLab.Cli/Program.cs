namespace CompatLab.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        Console.WriteLine("compatlab: under construction");
        return 0;
    }
}
