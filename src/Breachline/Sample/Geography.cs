namespace Breachline.Sample;

/// <summary>A US state with a few cities and their ZIP prefixes, for mailing addresses.</summary>
internal sealed record UsState(string Code, string Name, string[] Cities, string[] ZipPrefixes, string AreaCode);

/// <summary>A country international students come from, with its Salesforce country picklist label.</summary>
internal sealed record Country(string Code, string Name, string[] Cities, string[] Provinces, string PhonePrefix, string[] FirstNames, string[] LastNames);

/// <summary>Places and names the sample population is drawn from (fictional people, real place names).</summary>
internal static class Geography
{
    public static readonly UsState[] States =
    [
        new("IL", "Illinois", ["Chicago", "Evanston", "Springfield", "Naperville", "Peoria", "Champaign", "Rockford"], ["606", "602", "627", "605", "616", "618", "611"], "312"),
        new("IN", "Indiana", ["Indianapolis", "Gary", "South Bend", "Bloomington"], ["462", "464", "466", "474"], "317"),
        new("WI", "Wisconsin", ["Milwaukee", "Madison", "Green Bay", "Kenosha"], ["532", "537", "543", "531"], "414"),
        new("MO", "Missouri", ["St. Louis", "Kansas City", "Columbia"], ["631", "641", "652"], "314"),
        new("IA", "Iowa", ["Des Moines", "Iowa City", "Davenport"], ["503", "522", "528"], "515"),
        new("KY", "Kentucky", ["Louisville", "Lexington"], ["402", "405"], "502"),
        new("MI", "Michigan", ["Detroit", "Ann Arbor", "Grand Rapids"], ["482", "481", "495"], "313"),
        new("MN", "Minnesota", ["Minneapolis", "Saint Paul", "Rochester"], ["554", "551", "559"], "612"),
        new("OH", "Ohio", ["Columbus", "Cleveland", "Cincinnati"], ["432", "441", "452"], "614"),
        new("CA", "California", ["Los Angeles", "San Diego", "San Jose", "Sacramento"], ["900", "921", "951", "958"], "213"),
        new("NY", "New York", ["New York", "Buffalo", "Rochester"], ["100", "142", "146"], "212"),
        new("TX", "Texas", ["Houston", "Austin", "Dallas"], ["770", "787", "752"], "713"),
        new("FL", "Florida", ["Miami", "Orlando", "Tampa"], ["331", "328", "336"], "305"),
        new("GA", "Georgia", ["Atlanta", "Savannah"], ["303", "314"], "404"),
        new("CO", "Colorado", ["Denver", "Boulder"], ["802", "803"], "303"),
        new("WA", "Washington", ["Seattle", "Spokane"], ["981", "992"], "206"),
        new("MA", "Massachusetts", ["Boston", "Worcester"], ["021", "016"], "617"),
        new("PA", "Pennsylvania", ["Philadelphia", "Pittsburgh"], ["191", "152"], "215"),
        new("NC", "North Carolina", ["Charlotte", "Raleigh"], ["282", "276"], "704"),
        new("AZ", "Arizona", ["Phoenix", "Tucson"], ["850", "857"], "602"),
    ];

    /// <summary>States bordering each home state the generator supports.</summary>
    public static readonly Dictionary<string, string[]> Neighbours = new(StringComparer.Ordinal)
    {
        ["IL"] = ["IN", "WI", "MO", "IA", "KY", "MI"],
        ["WI"] = ["IL", "MN", "MI", "IA"],
        ["IA"] = ["IL", "MN", "WI", "MO"],
    };

    public static readonly Country[] Countries =
    [
        new("CN", "China", ["Beijing", "Shanghai", "Guangzhou", "Chengdu"], ["Beijing", "Shanghai", "Guangdong", "Sichuan"], "+86", ["Wei", "Jing", "Hao", "Xin", "Yu", "Lei"], ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang"]),
        new("IN", "India", ["Mumbai", "Bengaluru", "Hyderabad", "Chennai"], ["Maharashtra", "Karnataka", "Telangana", "Tamil Nadu"], "+91", ["Aarav", "Priya", "Rohan", "Ananya", "Vikram", "Neha"], ["Sharma", "Patel", "Reddy", "Iyer", "Gupta", "Nair"]),
        new("CA", "Canada", ["Toronto", "Vancouver", "Montreal"], ["ON", "BC", "QC"], "+1", ["Liam", "Emma", "Noah", "Chloe"], ["Tremblay", "MacDonald", "Roy", "Campbell"]),
        new("DE", "Germany", ["Berlin", "Munich", "Hamburg"], ["Berlin", "Bayern", "Hamburg"], "+49", ["Lukas", "Lea", "Jonas", "Mia"], ["Mueller", "Schmidt", "Fischer", "Weber"]),
        new("FR", "France", ["Paris", "Lyon", "Toulouse"], ["Ile-de-France", "Auvergne-Rhone-Alpes", "Occitanie"], "+33", ["Louis", "Camille", "Hugo", "Ines"], ["Martin", "Bernard", "Dubois", "Moreau"]),
        new("GB", "United Kingdom", ["London", "Manchester", "Edinburgh"], ["England", "England", "Scotland"], "+44", ["Oliver", "Amelia", "Harry", "Isla"], ["Smith", "Jones", "Taylor", "Brown"]),
        new("BR", "Brazil", ["Sao Paulo", "Rio de Janeiro", "Belo Horizonte"], ["SP", "RJ", "MG"], "+55", ["Gabriel", "Julia", "Mateus", "Beatriz"], ["Silva", "Santos", "Oliveira", "Souza"]),
        new("KR", "Korea, Republic of", ["Seoul", "Busan", "Incheon"], ["Seoul", "Busan", "Incheon"], "+82", ["Minjun", "Seoyeon", "Jiho", "Haeun"], ["Kim", "Lee", "Park", "Choi"]),
        new("JP", "Japan", ["Tokyo", "Osaka", "Nagoya"], ["Tokyo", "Osaka", "Aichi"], "+81", ["Haruto", "Yui", "Sota", "Hina"], ["Sato", "Suzuki", "Takahashi", "Tanaka"]),
        new("MX", "Mexico", ["Mexico City", "Guadalajara", "Monterrey"], ["CDMX", "Jalisco", "Nuevo Leon"], "+52", ["Santiago", "Valentina", "Diego", "Sofia"], ["Hernandez", "Garcia", "Lopez", "Martinez"]),
        new("NG", "Nigeria", ["Lagos", "Abuja"], ["Lagos", "FCT"], "+234", ["Chinedu", "Ngozi", "Tunde", "Amaka"], ["Okafor", "Adeyemi", "Eze", "Bello"]),
        new("VN", "Viet Nam", ["Hanoi", "Ho Chi Minh City"], ["Ha Noi", "Ho Chi Minh"], "+84", ["Minh", "Linh", "Huy", "Trang"], ["Nguyen", "Tran", "Le", "Pham"]),
    ];

    public static readonly (string Code, double Weight)[] CountryWeights =
    [
        ("CN", 0.24), ("IN", 0.22), ("CA", 0.08), ("DE", 0.06), ("FR", 0.05), ("GB", 0.05), ("BR", 0.06), ("KR", 0.08), ("JP", 0.05), ("MX", 0.05), ("NG", 0.03), ("VN", 0.03),
    ];

    public static readonly string[] FirstNames =
    [
        "James", "Mary", "Michael", "Patricia", "Robert", "Jennifer", "David", "Linda", "William", "Elizabeth", "Joseph", "Barbara",
        "Daniel", "Susan", "Matthew", "Jessica", "Anthony", "Sarah", "Andrew", "Karen", "Joshua", "Emily", "Kevin", "Ashley",
        "Brian", "Megan", "Tyler", "Hannah", "Jacob", "Olivia", "Ethan", "Madison", "Aiden", "Abigail", "Luis", "Maria", "Jamal", "Aaliyah",
        "Carlos", "Gabriela", "Marcus", "Destiny", "Nathan", "Grace", "Ryan", "Chloe", "Dylan", "Zoe",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark",
        "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Hill", "Flores", "Green", "Adams",
        "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Kowalski", "Novak", "Olson", "Schultz",
    ];

    public static readonly string[] Streets =
    [
        "Maple Ave", "Oak St", "Lake Shore Dr", "Washington Blvd", "Main St", "Elm St", "Park Ave", "Cedar Ln", "Lincoln Ave", "Prairie Rd",
        "Sheridan Rd", "Grand Ave", "Highland Ave", "Madison St", "Jefferson St", "Ridge Rd",
    ];

    public static UsState State(string code) => States.First(s => s.Code == code);

    public static Country Country(string code) => Countries.First(c => c.Code == code);
}
