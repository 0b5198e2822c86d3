using System.Collections;
using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace CompatLab.Engine.Configuration;

/// <summary>The binder's lists and dictionaries.</summary>
public sealed partial class ConfigBinder
{
    /// <summary>
    /// Binds a list. Given in a file, it replaces the default whole; given only by --set or the environment, its items
    /// change the default list's items by index (so `--set tracking.trackers.0.options.x=1` keeps the default
    /// tracker's type). Either way an index may not skip past the end: that is a typo, not a list.
    /// </summary>
    private (bool Ok, object? Value) BindList(Type type, IConfigurationSection section, string key, IList? defaults)
    {
        var elementType = type.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(type)!;
        var children = section.GetChildren().ToList();
        if (children.Count == 0 && !string.IsNullOrEmpty(section.Value))
        {
            AddProblem(key, $"expected a list of {FriendlyType(elementType)}, got \"{section.Value}\"");
            return (false, null);
        }

        bool overlay = defaults is { Count: > 0 } && provenance.OnlyOverrides(key);
        if (overlay)
        {
            foreach (var item in defaults!)
            {
                list.Add(item);
            }
        }

        bool ok = true;
        foreach (var child in children.OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : int.MaxValue))
        {
            ok &= BindListItem(elementType, list, child, Join(key, child.Key));
        }

        return (ok, list);
    }

    /// <summary>Sets or appends one item of a list being bound; false (with the problem recorded) when it cannot.</summary>
    private bool BindListItem(Type elementType, IList list, IConfigurationSection child, string itemKey)
    {
        if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
        {
            AddProblem(itemKey, "expected a list, got an object");
            return false;
        }

        if (index > list.Count)
        {
            AddProblem(itemKey, $"the list has no item {index - 1}, so item {index} cannot be set; set an index from 0 to {list.Count} or give the whole list");
            return false;
        }

        var item = BindValue(elementType, index < list.Count ? list[index] : null, child, itemKey);
        if (!item.Ok)
        {
            return false;
        }

        if (index < list.Count)
        {
            list[index] = item.Value;
        }
        else
        {
            list.Add(item.Value);
        }

        if (item.Value is not null && !IsScalar(elementType))
        {
            CheckRequired(item.Value, itemKey);
        }

        return true;
    }

    private (bool Ok, object? Value) BindDictionary(Type type, IConfigurationSection section, string key)
    {
        var valueType = type.GetGenericArguments()[1];
        var dictionary = (IDictionary)Activator.CreateInstance(type, StringComparer.OrdinalIgnoreCase)!;
        bool ok = true;
        foreach (var child in section.GetChildren())
        {
            var item = BindValue(valueType, null, child, Join(key, child.Key));
            if (item.Ok)
            {
                dictionary[child.Key] = item.Value;
            }
            else
            {
                ok = false;
            }
        }

        return (ok, dictionary);
    }
}
