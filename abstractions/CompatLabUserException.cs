namespace CompatLab.Abstractions;

/// <summary>
/// A mistake in what the user gave (a config value, a data file, a plugin assembly). The host prints the message
/// alone and exits with code 2; plugins throw it for bad input so users never see a stack trace for their mistake.
/// The message names the file, key or value and says what was expected.
/// </summary>
public class CompatLabUserException : Exception
{
    public CompatLabUserException(string message)
        : base(message)
    {
    }

    public CompatLabUserException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
