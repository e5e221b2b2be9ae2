--
-- PostgreSQL database dump
--

\restrict CXi4VhPB8xKtdReX84wQ0QD19fArrA5LpjTsKdI1iHwlk2rECFhq3ph4dHJVysx

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: fixture_main; Type: SCHEMA; Schema: -; Owner: -
--

CREATE SCHEMA fixture_main;


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: accounts; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.accounts (
    address text NOT NULL,
    fingerprint text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: allow_lists; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.allow_lists (
    owner text NOT NULL,
    hash text NOT NULL
);


--
-- Name: block_data; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.block_data (
    hash text NOT NULL,
    data bytea NOT NULL
);


--
-- Name: block_holders; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.block_holders (
    hash text NOT NULL,
    account text NOT NULL
);


--
-- Name: blocks; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.blocks (
    hash text NOT NULL,
    size bigint NOT NULL,
    last_put_at timestamp with time zone NOT NULL
);


--
-- Name: challenges; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.challenges (
    nonce text NOT NULL,
    address text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used boolean DEFAULT false NOT NULL
);


--
-- Name: directory_keys; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.directory_keys (
    id bigint NOT NULL,
    address text NOT NULL,
    fingerprint text NOT NULL,
    armored text NOT NULL,
    source text NOT NULL,
    wkd_hash text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT directory_keys_source_check CHECK ((source = ANY (ARRAY['account'::text, 'imported'::text])))
);


--
-- Name: directory_keys_id_seq; Type: SEQUENCE; Schema: fixture_main; Owner: -
--

ALTER TABLE fixture_main.directory_keys ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME fixture_main.directory_keys_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);


--
-- Name: event_tickets; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.event_tickets (
    ticket_hash text NOT NULL,
    address text NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: list_members; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.list_members (
    list text NOT NULL,
    member text NOT NULL,
    status text DEFAULT 'invited'::text NOT NULL,
    CONSTRAINT list_members_status_check CHECK ((status = ANY (ARRAY['invited'::text, 'accepted'::text, 'declined'::text])))
);


--
-- Name: lists; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.lists (
    address text NOT NULL,
    owner text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: mailbox_counters; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.mailbox_counters (
    owner text NOT NULL,
    folder text NOT NULL,
    last_seq bigint NOT NULL
);


--
-- Name: mailbox_entries; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.mailbox_entries (
    owner text NOT NULL,
    folder text NOT NULL,
    seq bigint NOT NULL,
    message_id text NOT NULL,
    received_at timestamp with time zone NOT NULL,
    CONSTRAINT mailbox_entries_folder_check CHECK ((folder = ANY (ARRAY['inbox'::text, 'sent'::text])))
);


--
-- Name: message_blocks; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.message_blocks (
    message_id text NOT NULL,
    hash text NOT NULL
);


--
-- Name: messages; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.messages (
    id text NOT NULL,
    sender text NOT NULL,
    recipients text NOT NULL,
    armored text NOT NULL,
    size integer NOT NULL,
    created_at timestamp with time zone NOT NULL,
    idempotency_key text,
    request_hash text,
    imported boolean DEFAULT false NOT NULL
);


--
-- Name: outbound_queue; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.outbound_queue (
    message_id text NOT NULL,
    domain text NOT NULL,
    sender text NOT NULL,
    recipients text NOT NULL,
    stamps text,
    state text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    queued_at timestamp with time zone NOT NULL,
    next_attempt_at timestamp with time zone NOT NULL,
    lease_until timestamp with time zone,
    lease_token text,
    problem text,
    settled_at timestamp with time zone,
    acceptance text,
    acceptance_signature text,
    CONSTRAINT outbound_queue_state_check CHECK ((state = ANY (ARRAY['queued'::text, 'delivered'::text, 'failed'::text])))
);


--
-- Name: rate_limits; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.rate_limits (
    key character varying(255) NOT NULL,
    points integer DEFAULT 0 NOT NULL,
    expire bigint
);


--
-- Name: recovery_backups; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.recovery_backups (
    address text NOT NULL,
    lookup_hash text NOT NULL,
    backup text NOT NULL,
    updated_at timestamp with time zone NOT NULL
);


--
-- Name: relay_keys; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.relay_keys (
    id integer NOT NULL,
    private_key text NOT NULL,
    public_key text NOT NULL,
    created_at timestamp with time zone NOT NULL,
    CONSTRAINT relay_keys_id_check CHECK ((id = 1))
);


--
-- Name: schema_version; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.schema_version (
    version integer NOT NULL
);


--
-- Name: sessions; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.sessions (
    token_hash text NOT NULL,
    address text NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked boolean DEFAULT false NOT NULL
);


--
-- Name: spent_stamps; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.spent_stamps (
    hash text NOT NULL,
    expires_at timestamp with time zone NOT NULL
);


--
-- Name: state_log; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.state_log (
    owner text NOT NULL,
    seq bigint NOT NULL,
    entry text NOT NULL,
    created_at timestamp with time zone NOT NULL
);


--
-- Name: transfers; Type: TABLE; Schema: fixture_main; Owner: -
--

CREATE TABLE fixture_main.transfers (
    id text NOT NULL,
    owner text NOT NULL,
    backup text,
    expires_at timestamp with time zone NOT NULL,
    claimed boolean NOT NULL
);


--
-- Data for Name: accounts; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.accounts VALUES ('alice@localhost', '6085E40DCD2ABBA7997AA422103759B6DD618116', '2026-12-04 21:38:10.77+00');
INSERT INTO fixture_main.accounts VALUES ('bob@localhost', 'C0C1E51D37236EA2DF592123B9347D74F656D716', '2026-12-04 21:38:10.785+00');


--
-- Data for Name: allow_lists; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: block_data; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: block_holders; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: blocks; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: challenges; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.challenges VALUES ('wiUO1skpcfU6dWMuhzlKyEO_MJ74sTJpX93gwK8k-2s', 'alice@localhost', '2026-12-04 21:43:10.794+00', true);
INSERT INTO fixture_main.challenges VALUES ('kBX1Mk4lqLV8GuUa8Akr7LPx8JcZkBjPk6Qoin6pKME', 'bob@localhost', '2026-12-04 21:43:10.821+00', true);


--
-- Data for Name: directory_keys; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.directory_keys OVERRIDING SYSTEM VALUE VALUES (1, 'alice@localhost', '6085E40DCD2ABBA7997AA422103759B6DD618116', '-----BEGIN PGP PUBLIC KEY BLOCK-----

xiYEaxMywhvEoTEqAzxlCW1fVuvRyEHhvARi7ddpQK/E2TsAi1BrK80WVGVz
dCA8YWxpY2VAbG9jYWxob3N0PsLADwQTGwoAhQWCaxMywgMLCQcJEBA3Wbbd
YYEWRRQAAAAAABwAIHNhbHRAbm90YXRpb25zLm9wZW5wZ3Bqcy5vcmcXMyPX
qm1YLQUt3hWzXomugUVmM4FWejVVZRPstarl4AUVCggODAQWAAIBAhkBApsD
Ah4BFiEEYIXkDc0qu6eZeqQiEDdZtt1hgRYAAG7mui++O+BdzESKizGT2a3q
+kLMOIydMk9rdcvQ/6DjSjWj3Cp51tc27QLrZkvucS2N1d8cXYU+DdznVFs/
brKwDc4mBGsTMsIZv/HbvUHAeo1Xn18JeT4bxpM0mfenoPC2ioZ9UB8YjgzC
ugQYGwoAcAWCaxMywgkQEDdZtt1hgRZFFAAAAAAAHAAgc2FsdEBub3RhdGlv
bnMub3BlbnBncGpzLm9yZ5AJ6CGg3yVZJyzm/pwoOcKMfS3HGDKFB3wC5725
IzDZApsMFiEEYIXkDc0qu6eZeqQiEDdZtt1hgRYAAB7Jbl3ZknZk3AEbyNUn
V/Rgxace/Dde7grpQ/13I+2m4FDgjnzu+fMtHKTXhLtHCh1ZSNdm59Q7rmJI
w5pwTIypAA==
=sLVL
-----END PGP PUBLIC KEY BLOCK-----
', 'account', 'kei1q4tipxxu1yj79k9kfukdhfy631xe', '2026-12-04 21:38:10.77+00');
INSERT INTO fixture_main.directory_keys OVERRIDING SYSTEM VALUE VALUES (2, 'bob@localhost', 'C0C1E51D37236EA2DF592123B9347D74F656D716', '-----BEGIN PGP PUBLIC KEY BLOCK-----

xiYEaxMywhvg1DguHxj69Rw0PGOZCyCnq2jZnDeN+FyhiS+Cyks0L80UVGVz
dCA8Ym9iQGxvY2FsaG9zdD7CwA8EExsKAIUFgmsTMsIDCwkHCRC5NH109lbX
FkUUAAAAAAAcACBzYWx0QG5vdGF0aW9ucy5vcGVucGdwanMub3Jn7I3JH3dq
PgPq612i2BhzBQHThHK6+sAtFdq6TtR2g8kFFQoIDgwEFgACAQIZAQKbAwIe
ARYhBMDB5R03I26i31khI7k0fXT2VtcWAAC3zV27E5viBuJZT05O5GmtsM+0
oObjeZjpqdwcTdBa+vAE9X3b2YKBy3KTB7YIoVN1Ie42uOo0jbRW4/3xv2Iz
ZAzOJgRrEzLCGT61HCZJKhsVKs1iH1Mk8Ui88KOMt3L54I4XWTM9q6xXwroE
GBsKAHAFgmsTMsIJELk0fXT2VtcWRRQAAAAAABwAIHNhbHRAbm90YXRpb25z
Lm9wZW5wZ3Bqcy5vcmcFiAExlN23B4JYaJqaMSiOcqSZPB+ifcegwzgfq5hT
qgKbDBYhBMDB5R03I26i31khI7k0fXT2VtcWAAAFYxqtA4fzzChhEZnpx1BN
B7ZQv3JtXdCxkWK7rmlEMWPbuwssdBVA4mdv+98WURsQZhu50D0tK3jwbhXF
2zi+Qg4=
=UQ91
-----END PGP PUBLIC KEY BLOCK-----
', 'account', 'jycbiujnsxs47xrkethgtj69xuunurok', '2026-12-04 21:38:10.785+00');


--
-- Data for Name: event_tickets; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: list_members; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: lists; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: mailbox_counters; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.mailbox_counters VALUES ('alice@localhost', 'sent', 1);
INSERT INTO fixture_main.mailbox_counters VALUES ('bob@localhost', 'inbox', 1);
INSERT INTO fixture_main.mailbox_counters VALUES ('alice@localhost', 'inbox', 1);
INSERT INTO fixture_main.mailbox_counters VALUES ('bob@localhost', 'sent', 1);
INSERT INTO fixture_main.mailbox_counters VALUES ('alice@localhost', 'state', 1);


--
-- Data for Name: mailbox_entries; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.mailbox_entries VALUES ('alice@localhost', 'sent', 1, 'e2336eb6-efee-4827-ab65-c8ce3a460b93', '2026-12-04 21:38:10.845+00');
INSERT INTO fixture_main.mailbox_entries VALUES ('bob@localhost', 'inbox', 1, 'e2336eb6-efee-4827-ab65-c8ce3a460b93', '2026-12-04 21:38:10.845+00');
INSERT INTO fixture_main.mailbox_entries VALUES ('alice@localhost', 'inbox', 1, '2b395bda-e42b-402d-998d-eea06cb8b4ff', '2026-12-04 21:38:10.864+00');
INSERT INTO fixture_main.mailbox_entries VALUES ('bob@localhost', 'sent', 1, '2b395bda-e42b-402d-998d-eea06cb8b4ff', '2026-12-04 21:38:10.864+00');


--
-- Data for Name: message_blocks; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: messages; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.messages VALUES ('e2336eb6-efee-4827-ab65-c8ce3a460b93', 'alice@localhost', '["bob@localhost"]', '-----BEGIN PGP MESSAGE-----

wVQDWj8voLNoBykZYQj0NfXvThxHXpeFogt493K1nJ9OjAql0zmCH/fWyhMp
CS2H1vtWvIql7XmHvfo74lxwnbB+gJlQ0IlC2JGrdmwcLvPJn53bShzSTwHQ
exqb6XqnZtRF5J8wZy6vQ2ls1PInknmu32IDQmW4P+9aWRqNmCHxvelVKj0l
3tifpPgzGcnZb7pIYNNwdjQ392mWTS2CVW5iZSWT3N8=
=ahwd
-----END PGP MESSAGE-----
', 289, '2026-12-04 21:38:10.845+00', NULL, NULL, false);
INSERT INTO fixture_main.messages VALUES ('2b395bda-e42b-402d-998d-eea06cb8b4ff', 'bob@localhost', '["alice@localhost"]', '-----BEGIN PGP MESSAGE-----

wVQDup79BbWPgaAZwWX7uKYJoyZya94/5zfJxOPi21cR75iMZBrGGl1vjgsp
CTbdoWlMHCkn5/cKv8+IV3Sbu6X67CsV1L30LrwPvAiGMjvlElE77VzSUQF9
aAuqI3t+WYQthcmxjWyMPQmjgSxgUB/IKzJew8A9tKVIjUSoGSEpEqX5rn5k
A9XGZFQBADgyLCL0CX9hjCrHb7M83xK32Z915RdCyN9Hpg==
=nCl6
-----END PGP MESSAGE-----
', 293, '2026-12-04 21:38:10.864+00', NULL, NULL, false);


--
-- Data for Name: outbound_queue; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: rate_limits; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: recovery_backups; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.recovery_backups VALUES ('alice@localhost', 'abababababababababababababababababababababababababababababababab', 'sealed-backup', '2026-12-04 21:38:10.873+00');


--
-- Data for Name: relay_keys; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: schema_version; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.schema_version VALUES (11);


--
-- Data for Name: sessions; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.sessions VALUES ('f0c6d3ed892b813b5631d7d017c2a135708d788455dc6160772ef6a800dfef31', 'alice@localhost', '2026-12-05 09:38:10.808+00', false);
INSERT INTO fixture_main.sessions VALUES ('12f72d765480b043b9cf20e7cf23d35f588f78b8e200c6a4e5bf7aefa18104ac', 'bob@localhost', '2026-12-05 09:38:10.832+00', false);


--
-- Data for Name: spent_stamps; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Data for Name: state_log; Type: TABLE DATA; Schema: fixture_main; Owner: -
--

INSERT INTO fixture_main.state_log VALUES ('alice@localhost', 1, 'sealed-state-entry', '2026-12-04 21:38:10.87+00');


--
-- Data for Name: transfers; Type: TABLE DATA; Schema: fixture_main; Owner: -
--



--
-- Name: directory_keys_id_seq; Type: SEQUENCE SET; Schema: fixture_main; Owner: -
--

SELECT pg_catalog.setval('fixture_main.directory_keys_id_seq', 2, true);


--
-- Name: accounts accounts_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.accounts
    ADD CONSTRAINT accounts_pkey PRIMARY KEY (address);


--
-- Name: allow_lists allow_lists_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.allow_lists
    ADD CONSTRAINT allow_lists_pkey PRIMARY KEY (owner, hash);


--
-- Name: block_data block_data_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.block_data
    ADD CONSTRAINT block_data_pkey PRIMARY KEY (hash);


--
-- Name: block_holders block_holders_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.block_holders
    ADD CONSTRAINT block_holders_pkey PRIMARY KEY (account, hash);


--
-- Name: blocks blocks_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.blocks
    ADD CONSTRAINT blocks_pkey PRIMARY KEY (hash);


--
-- Name: challenges challenges_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.challenges
    ADD CONSTRAINT challenges_pkey PRIMARY KEY (nonce);


--
-- Name: directory_keys directory_keys_address_fingerprint_key; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.directory_keys
    ADD CONSTRAINT directory_keys_address_fingerprint_key UNIQUE (address, fingerprint);


--
-- Name: directory_keys directory_keys_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.directory_keys
    ADD CONSTRAINT directory_keys_pkey PRIMARY KEY (id);


--
-- Name: event_tickets event_tickets_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.event_tickets
    ADD CONSTRAINT event_tickets_pkey PRIMARY KEY (ticket_hash);


--
-- Name: list_members list_members_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.list_members
    ADD CONSTRAINT list_members_pkey PRIMARY KEY (list, member);


--
-- Name: lists lists_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.lists
    ADD CONSTRAINT lists_pkey PRIMARY KEY (address);


--
-- Name: mailbox_counters mailbox_counters_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.mailbox_counters
    ADD CONSTRAINT mailbox_counters_pkey PRIMARY KEY (owner, folder);


--
-- Name: mailbox_entries mailbox_entries_owner_folder_message_id_key; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.mailbox_entries
    ADD CONSTRAINT mailbox_entries_owner_folder_message_id_key UNIQUE (owner, folder, message_id);


--
-- Name: mailbox_entries mailbox_entries_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.mailbox_entries
    ADD CONSTRAINT mailbox_entries_pkey PRIMARY KEY (owner, folder, seq);


--
-- Name: message_blocks message_blocks_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.message_blocks
    ADD CONSTRAINT message_blocks_pkey PRIMARY KEY (hash, message_id);


--
-- Name: messages messages_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.messages
    ADD CONSTRAINT messages_pkey PRIMARY KEY (id);


--
-- Name: messages messages_sender_idempotency_key_key; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.messages
    ADD CONSTRAINT messages_sender_idempotency_key_key UNIQUE (sender, idempotency_key);


--
-- Name: outbound_queue outbound_queue_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.outbound_queue
    ADD CONSTRAINT outbound_queue_pkey PRIMARY KEY (message_id, domain);


--
-- Name: rate_limits rate_limits_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.rate_limits
    ADD CONSTRAINT rate_limits_pkey PRIMARY KEY (key);


--
-- Name: recovery_backups recovery_backups_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.recovery_backups
    ADD CONSTRAINT recovery_backups_pkey PRIMARY KEY (address);


--
-- Name: relay_keys relay_keys_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.relay_keys
    ADD CONSTRAINT relay_keys_pkey PRIMARY KEY (id);


--
-- Name: sessions sessions_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (token_hash);


--
-- Name: spent_stamps spent_stamps_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.spent_stamps
    ADD CONSTRAINT spent_stamps_pkey PRIMARY KEY (hash);


--
-- Name: state_log state_log_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.state_log
    ADD CONSTRAINT state_log_pkey PRIMARY KEY (owner, seq);


--
-- Name: transfers transfers_pkey; Type: CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.transfers
    ADD CONSTRAINT transfers_pkey PRIMARY KEY (id);


--
-- Name: block_holders_hash; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX block_holders_hash ON fixture_main.block_holders USING btree (hash);


--
-- Name: blocks_last_put; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX blocks_last_put ON fixture_main.blocks USING btree (last_put_at);


--
-- Name: challenges_expiry; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX challenges_expiry ON fixture_main.challenges USING btree (expires_at);


--
-- Name: directory_keys_wkd; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX directory_keys_wkd ON fixture_main.directory_keys USING btree (wkd_hash);


--
-- Name: event_tickets_expiry; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX event_tickets_expiry ON fixture_main.event_tickets USING btree (expires_at);


--
-- Name: list_members_member; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX list_members_member ON fixture_main.list_members USING btree (member);


--
-- Name: mailbox_entries_message; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX mailbox_entries_message ON fixture_main.mailbox_entries USING btree (owner, message_id);


--
-- Name: outbound_queue_due; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX outbound_queue_due ON fixture_main.outbound_queue USING btree (next_attempt_at) WHERE (state = 'queued'::text);


--
-- Name: sessions_address; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX sessions_address ON fixture_main.sessions USING btree (address);


--
-- Name: spent_stamps_expiry; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX spent_stamps_expiry ON fixture_main.spent_stamps USING btree (expires_at);


--
-- Name: transfers_expiry; Type: INDEX; Schema: fixture_main; Owner: -
--

CREATE INDEX transfers_expiry ON fixture_main.transfers USING btree (expires_at);


--
-- Name: block_holders block_holders_hash_fkey; Type: FK CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.block_holders
    ADD CONSTRAINT block_holders_hash_fkey FOREIGN KEY (hash) REFERENCES fixture_main.blocks(hash) ON DELETE CASCADE;


--
-- Name: list_members list_members_list_fkey; Type: FK CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.list_members
    ADD CONSTRAINT list_members_list_fkey FOREIGN KEY (list) REFERENCES fixture_main.lists(address) ON DELETE CASCADE;


--
-- Name: mailbox_entries mailbox_entries_message_id_fkey; Type: FK CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.mailbox_entries
    ADD CONSTRAINT mailbox_entries_message_id_fkey FOREIGN KEY (message_id) REFERENCES fixture_main.messages(id);


--
-- Name: message_blocks message_blocks_hash_fkey; Type: FK CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.message_blocks
    ADD CONSTRAINT message_blocks_hash_fkey FOREIGN KEY (hash) REFERENCES fixture_main.blocks(hash);


--
-- Name: message_blocks message_blocks_message_id_fkey; Type: FK CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.message_blocks
    ADD CONSTRAINT message_blocks_message_id_fkey FOREIGN KEY (message_id) REFERENCES fixture_main.messages(id);


--
-- Name: outbound_queue outbound_queue_message_id_fkey; Type: FK CONSTRAINT; Schema: fixture_main; Owner: -
--

ALTER TABLE ONLY fixture_main.outbound_queue
    ADD CONSTRAINT outbound_queue_message_id_fkey FOREIGN KEY (message_id) REFERENCES fixture_main.messages(id);


--
-- PostgreSQL database dump complete
--

\unrestrict CXi4VhPB8xKtdReX84wQ0QD19fArrA5LpjTsKdI1iHwlk2rECFhq3ph4dHJVysx

