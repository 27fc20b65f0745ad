-- Each service's own PostgreSQL role, owning its own schema and nothing else: a service (or
-- whoever takes it over) can read and write only its own tables. Run as a superuser against the
-- services' database, on every start (it changes only what is missing): by compose/up, by the
-- tests for each database they create, by the postgres container of docker-compose, and by the
-- database-setup Job of deploy/k8s (compose/postgres-roles.sql links here).
--
-- Roles are `parley_<service>`; each service's POSTGRES_USER defaults to its role. The local
-- cluster trusts loopback connections; a production cluster gives each role a password
-- (`ALTER ROLE parley_auth PASSWORD '...'`) that only its service knows (POSTGRES_PASSWORD).
DO $roles$
DECLARE
    service text;
    owner_role text;
    relation record;
BEGIN
    FOREACH service IN ARRAY ARRAY['auth', 'rooms', 'messages', 'media', 'search', 'notify', 'games', 'calls'] LOOP
        owner_role := 'parley_' || service;
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN', owner_role);
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- there already (roles belong to the cluster; another database made it)
        END;
        EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), owner_role);
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I AUTHORIZATION %I', service, owner_role);
        EXECUTE format('ALTER SCHEMA %I OWNER TO %I', service, owner_role);
        -- Tables made before the roles existed (by the superuser) change hands, with their
        -- sequences and indexes.
        FOR relation IN
            SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = service AND c.relkind IN ('r', 'p', 'v', 'm')
              AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = owner_role)
        LOOP
            EXECUTE format('ALTER TABLE %s OWNER TO %I', relation.name, owner_role);
        END LOOP;
    END LOOP;
    -- Nobody else gets in: no connecting to this database and no tables in `public` by default.
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    REVOKE CREATE ON SCHEMA public FROM PUBLIC;
END
$roles$;
