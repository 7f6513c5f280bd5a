#include "core/sqlite_handles.hpp"

#include "core/errors.hpp"

#include <cstdlib>

namespace qingling {

void throw_sqlite_error(sqlite3* db, int rc, const std::string& what) {
    const std::string message = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    const int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        throw ProjectInUseError("the project is in use by another program that is writing to it; "
                                "try again when it has finished (" + what + ")");
    throw ProjectError(message);
}

SqliteStatement::SqliteStatement(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) throw_sqlite_error(db, rc, "preparing SQL '" + std::string(sql.substr(0, 80)) + "'");
}

SqliteStatement& SqliteStatement::bind(int index, long long v) {
    sqlite3_bind_int64(stmt_, index, v);
    return *this;
}
SqliteStatement& SqliteStatement::bind(int index, double v) {
    sqlite3_bind_double(stmt_, index, v);
    return *this;
}
SqliteStatement& SqliteStatement::bind(int index, std::string_view v) {
    sqlite3_bind_text(stmt_, index, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}
SqliteStatement& SqliteStatement::bind_null(int index) {
    sqlite3_bind_null(stmt_, index);
    return *this;
}
SqliteStatement& SqliteStatement::bind_blob(int index, const void* data, int size) {
    sqlite3_bind_blob(stmt_, index, data, size, SQLITE_TRANSIENT);
    return *this;
}
SqliteStatement& SqliteStatement::bind_blob_owned(int index, void* data, int size) {
    sqlite3_bind_blob(stmt_, index, data, size, std::free);
    return *this;
}

bool SqliteStatement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw_sqlite_error(db_, rc, "running SQL '" + std::string(sqlite3_sql(stmt_)).substr(0, 80) + "'");
}

void SqliteStatement::run() {
    while (step()) {
    }
    reset();
}

void SqliteStatement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

void sqlite_exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string message = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        const int primary = rc & 0xff;
        if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
            throw ProjectInUseError("the project is in use by another program that is writing to it; "
                                    "try again when it has finished");
        throw ProjectError("SQL failed (" + message + "): " + sql.substr(0, 120));
    }
}

namespace {
std::string quoted(std::string_view text, char quote) {
    std::string out(1, quote);
    for (char c : text) {
        if (c == quote) out += quote;
        out += c;
    }
    out += quote;
    return out;
}
} // namespace

std::string sql_identifier(std::string_view name) { return quoted(name, '"'); }
std::string sql_literal(std::string_view text) { return quoted(text, '\''); }

} // namespace qingling
