using Breachline.Common;
using Breachline.Notification;

namespace Breachline.Tests.Notification;

/// <summary>An id used twice in a template or holiday file is a load error, not a crash of the catalog's index.</summary>
public sealed class CatalogIdTests
{
    [Fact]
    public void A_template_id_used_twice_is_refused_with_its_line()
    {
        var file = DataFile.LoadEmbedded<TemplateFile>("data/notify/templates.yaml");
        file.Templates.Add(file.Templates[0]);

        var e = Assert.Throws<InputException>(() => TemplateCatalog.Load(file, "templates.yaml"));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(($"{file.Templates[0].Id}.id", file.Templates[0].Line, "is used twice"), (problem.Field, problem.Line, problem.Message));
    }

    [Fact]
    public void A_holiday_calendar_id_used_twice_is_refused_with_its_line()
    {
        var file = DataFile.LoadEmbedded<HolidayFile>("data/notify/holidays.yaml");
        file.Calendars.Add(file.Calendars[0]);

        var e = Assert.Throws<InputException>(() => HolidayCalendars.Load(file, "holidays.yaml"));

        var problem = Assert.Single(e.Problems);
        Assert.Equal(($"{file.Calendars[0].Id}.id", file.Calendars[0].Line, "is used twice"), (problem.Field, problem.Line, problem.Message));
    }
}
