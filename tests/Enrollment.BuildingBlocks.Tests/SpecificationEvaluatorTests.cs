using Ardalis.Specification;
using Enrollment.BuildingBlocks.Persistence;
using Enrollment.BuildingBlocks.Specifications;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Enrollment.BuildingBlocks.Tests;

internal sealed class Author
{
    public int Id { get; set; }
    public string Name { get; set; } = "";
    public List<Book> Books { get; set; } = [];
}

internal sealed class Book
{
    public int Id { get; set; }
    public string Title { get; set; } = "";
    public int AuthorId { get; set; }
    public Author? Author { get; set; }
    public List<Chapter> Chapters { get; set; } = [];
    public DateTimeOffset PublishedAt { get; set; }
}

internal sealed class Chapter
{
    public int Id { get; set; }
    public int BookId { get; set; }
    public string Name { get; set; } = "";
}

internal sealed class LibraryContext(DbContextOptions<LibraryContext> options) : DbContext(options)
{
    public List<string> Sql { get; } = [];
    public DbSet<Author> Authors => Set<Author>();
    public DbSet<Book> Books => Set<Book>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        ModuleConventions.Apply(configurationBuilder, this);
}

public sealed class SpecificationEvaluatorTests : IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly LibraryContext _db;

    public SpecificationEvaluatorTests()
    {
        _connection.Open();
        LibraryContext? context = null;
        var options = new DbContextOptionsBuilder<LibraryContext>().UseSqlite(_connection)
            .AddInterceptors(new SqlCaptureProxy(() => context!)).Options;
        context = new LibraryContext(options);
        _db = context;
        _db.Database.EnsureCreated();
        var tolstoy = new Author { Name = "Толстой" };
        var aitmatov = new Author { Name = "Айтматов" };
        tolstoy.Books.Add(new Book { Title = "Война и мир", PublishedAt = new DateTimeOffset(1869, 1, 1, 0, 0, 0, TimeSpan.Zero), Chapters = [new() { Name = "I" }, new() { Name = "II" }] });
        aitmatov.Books.Add(new Book { Title = "Жамиля", PublishedAt = new DateTimeOffset(1958, 1, 1, 0, 0, 0, TimeSpan.Zero), Chapters = [new() { Name = "1" }] });
        aitmatov.Books.Add(new Book { Title = "Белый пароход", PublishedAt = new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero) });
        _db.AddRange(tolstoy, aitmatov);
        _db.SaveChanges();
        _db.ChangeTracker.Clear();
        _db.Sql.Clear();
    }

    public void Dispose()
    {
        _db.Dispose();
        _connection.Dispose();
    }

    private sealed class SqlCaptureProxy(Func<LibraryContext> owner) : DbCommandInterceptor
    {
        public override InterceptionResult<System.Data.Common.DbDataReader> ReaderExecuting(System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result)
        {
            owner().Sql.Add(command.CommandText);
            return result;
        }

        public override ValueTask<InterceptionResult<System.Data.Common.DbDataReader>> ReaderExecutingAsync(System.Data.Common.DbCommand command, CommandEventData eventData, InterceptionResult<System.Data.Common.DbDataReader> result, CancellationToken cancellationToken = default)
        {
            owner().Sql.Add(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }

    private sealed class BooksAfter : Specification<Book>
    {
        public BooksAfter(int year, int? skip = null, int? take = null)
        {
            Query.Where(b => b.PublishedAt > new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero))
                .OrderByDescending(b => b.PublishedAt).AsNoTracking();
            if (skip is not null) Query.Skip(skip.Value);
            if (take is not null) Query.Take(take.Value);
        }
    }

    private sealed class TitleSearch : Specification<Book>
    {
        public TitleSearch(string term) => Query.Search(b => b.Title, term, 1).Search(b => b.Author!.Name, term, 1);
    }

    private sealed class AuthorsWithBooksAndChapters : Specification<Author>
    {
        public AuthorsWithBooksAndChapters() => Query.Include(a => a.Books).ThenInclude(b => b.Chapters).OrderBy(a => a.Name).AsSplitQuery().TagWith("authors-with-chapters");
    }

    private sealed class BookTitles : Specification<Book, string>
    {
        public BookTitles() => Query.OrderBy(b => b.Title).Select(b => b.Title);
    }

    [Fact]
    public async Task Where_order_and_paging_are_applied_in_sql()
    {
        var page = await SpecificationEvaluator.Apply(_db.Books, new BooksAfter(1900, skip: 1, take: 1)).ToListAsync();
        Assert.Equal(["Жамиля"], page.Select(b => b.Title));
        Assert.Contains("LIMIT", _db.Sql.Last(), StringComparison.Ordinal);
        Assert.Empty(_db.ChangeTracker.Entries());
    }

    [Fact]
    public async Task Criteria_only_evaluation_counts_without_paging()
    {
        var count = await SpecificationEvaluator.Apply(_db.Books, new BooksAfter(1900, skip: 1, take: 1), criteriaOnly: true).CountAsync();
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task Search_terms_in_one_group_are_ored_and_sent_as_parameters()
    {
        var found = await SpecificationEvaluator.Apply(_db.Books, new TitleSearch("%Айтмат%")).Select(b => b.Title).ToListAsync();
        Assert.Equal(2, found.Count);
        Assert.DoesNotContain("Айтмат", _db.Sql.Last(), StringComparison.Ordinal);
        Assert.Contains("LIKE", _db.Sql.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_term_with_sql_injection_is_just_a_value()
    {
        var found = await SpecificationEvaluator.Apply(_db.Books, new TitleSearch("%'; DROP TABLE Books; --%")).ToListAsync();
        Assert.Empty(found);
        Assert.Equal(3, await _db.Books.CountAsync());
    }

    [Fact]
    public async Task Include_and_then_include_load_nested_collections()
    {
        var authors = await SpecificationEvaluator.Apply(_db.Authors, new AuthorsWithBooksAndChapters()).ToListAsync();
        var tolstoy = authors.Single(a => a.Name == "Толстой");
        Assert.Equal(2, tolstoy.Books.Single().Chapters.Count);
        Assert.Contains(_db.Sql, s => s.Contains("authors-with-chapters", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Projection_specifications_select_in_sql()
    {
        var titles = await SpecificationEvaluator.Apply(_db.Books, new BookTitles()).ToListAsync();
        Assert.Equal(["Белый пароход", "Война и мир", "Жамиля"], titles);
    }

    [Fact]
    public async Task Instants_compare_and_sort_on_sqlite()
    {
        var newest = await _db.Books.OrderByDescending(b => b.PublishedAt).Select(b => b.Title).FirstAsync();
        Assert.Equal("Белый пароход", newest);
    }
}
