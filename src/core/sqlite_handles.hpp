// RAII for SQLite connections and statements. Used only inside the project store.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

namespace qingling {

class ProjectError;

// Throws ProjectError (or ProjectInUseError for SQLITE_BUSY/LOCKED) with the SQLite message.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int rc, const std::string& what);

class SqliteStatement {
public:
    SqliteStatement(sqlite3* db, std::string_view sql);
    ~SqliteStatement() { sqlite3_finalize(stmt_); }
    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;
    SqliteStatement(SqliteStatement&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }

    SqliteStatement& bind(int index, long long v);
    SqliteStatement& bind(int index, double v);
    SqliteStatement& bind(int index, std::string_view v);  // copied (SQLITE_TRANSIENT)
    SqliteStatement& bind_null(int index);
    SqliteStatement& bind_blob(int index, const void* data, int size);
    // Takes ownership of a buffer allocated with malloc (SpatiaLite blobs).
    SqliteStatement& bind_blob_owned(int index, void* data, int size);

    bool step();     // true while a row is available
    void run();      // step to completion, then reset
    void reset();

    long long column_int(int i) const { return sqlite3_column_int64(stmt_, i); }
    double column_double(int i) const { return sqlite3_column_double(stmt_, i); }
    bool column_is_null(int i) const { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
    std::string column_text(int i) const {
        const auto* p = sqlite3_column_text(stmt_, i);
        return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, i)) : std::string();
    }
    const unsigned char* column_blob(int i, int& size) const {
        size = sqlite3_column_bytes(stmt_, i);
        return static_cast<const unsigned char*>(sqlite3_column_blob(stmt_, i));
    }
    sqlite3_stmt* get() const { return stmt_; }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// Runs one or more statements without results.
void sqlite_exec(sqlite3* db, const std::string& sql);
// Quotes an identifier for SQL ("name" with doubled quotes).
std::string sql_identifier(std::string_view name);
// Quotes a string literal for SQL ('text' with doubled quotes), for the few SpatiaLite admin calls
// that take table names as values.
std::string sql_literal(std::string_view text);

} // namespace qingling
