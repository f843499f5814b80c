package dev.sentryboot.autoconfigure.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseInfoTests {

	@Test
	void readsSystemAndNameOfCommonUrls() {
		assertThat(DatabaseInfo.fromUrl("jdbc:h2:mem:testdb;DB_CLOSE_DELAY=-1")).isEqualTo(new DatabaseInfo("h2", "testdb"));
		assertThat(DatabaseInfo.fromUrl("jdbc:h2:file:./data/app")).isEqualTo(new DatabaseInfo("h2", "app"));
		assertThat(DatabaseInfo.fromUrl("jdbc:postgresql://db:5432/orders?ssl=true"))
			.isEqualTo(new DatabaseInfo("postgresql", "orders"));
		assertThat(DatabaseInfo.fromUrl("jdbc:tc:postgresql:16:///orders")).isEqualTo(new DatabaseInfo("postgresql", "orders"));
		assertThat(DatabaseInfo.fromUrl("jdbc:mysql://db/shop")).isEqualTo(new DatabaseInfo("mysql", "shop"));
		assertThat(DatabaseInfo.fromUrl("jdbc:sqlserver://db:1433;databaseName=erp;encrypt=true"))
			.isEqualTo(new DatabaseInfo("mssql", "erp"));
		assertThat(DatabaseInfo.fromUrl("jdbc:postgresql://db:5432")).isEqualTo(new DatabaseInfo("postgresql", null));
		assertThat(DatabaseInfo.fromUrl("jdbc:oracle:thin:@db:1521:ORCL")).isEqualTo(new DatabaseInfo("oracle", "ORCL"));
		assertThat(DatabaseInfo.fromUrl("jdbc:db2://db:50000/sample")).isEqualTo(new DatabaseInfo("db2", "sample"));
		assertThat(DatabaseInfo.fromUrl("jdbc:as400://db/library")).isEqualTo(new DatabaseInfo("db2", "library"));
	}

	@Test
	void unknownWithoutAJdbcUrl() {
		assertThat(DatabaseInfo.fromUrl(null)).isEqualTo(DatabaseInfo.UNKNOWN);
		assertThat(DatabaseInfo.fromUrl("not a url")).isEqualTo(DatabaseInfo.UNKNOWN);
	}

}
